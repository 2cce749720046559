using Wsdoctor.Conform.Engine;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Conform.Reports;

/// <summary>What the reports keep of the handshakes: a server URL may carry <c>?token=</c>, and a client under test
/// (conform client) may send Authorization or cookies; the report files are shared and published, so heads and the
/// wire log lines that quote them are redacted like every other output unless --show-secrets.</summary>
public static class ReportSecrets
{
    public static CaseResult Redact(CaseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result with
        {
            HttpRequest = result.HttpRequest is { } request ? SecretRedactor.RedactHead(request) : null,
            HttpResponse = result.HttpResponse is { } response ? SecretRedactor.RedactHead(response) : null,
            WireLog = [.. result.WireLog.Select(e => e with { Text = RedactLine(e.Text) })],
        };
    }

    /// <summary>Wire log entries quote the heads as "request head:\n…" or "request head of N bytes: …" (HandshakeProbe);
    /// frame summaries are left as they are.</summary>
    private static string RedactLine(string text)
    {
        if (!text.StartsWith("request head", StringComparison.Ordinal) && !text.StartsWith("response head", StringComparison.Ordinal))
        {
            return text;
        }

        // "…head:\n" or "…bytes: ": the head starts two characters after the first colon.
        var start = text.IndexOf(':', StringComparison.Ordinal) + 2;
        return start <= 1 || start > text.Length ? text : text[..start] + SecretRedactor.RedactHead(text[start..]);
    }
}
