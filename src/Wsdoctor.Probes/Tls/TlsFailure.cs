using Wsdoctor.Protocol;
using System.Net;
using System.Security.Authentication;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Net;

namespace Wsdoctor.Probes.Tls;

/// <summary>Turns a failed TLS handshake into the finding that explains it, from the bytes the server sent
/// and, where those are not enough, one or two short follow-up connections.</summary>
internal static class TlsFailure
{
    public static async Task ClassifyAsync(DiagnosisContext ctx, Route route, byte[] recorded, Exception ex, bool timedOut, double ms)
    {
        var records = TlsRecords.Parse(recorded);
        var error = ExceptionText.Chain(ex);
        var sentLine = recorded.Length == 0
            ? (timedOut ? $"the server sent nothing in {ms / 1000:0.0} s after our ClientHello" : "the server closed the connection without sending a byte")
            : $"the server sent {recorded.Length} byte(s): {ByteEvidence.Describe(recorded)}";

        if (recorded.Length > 0 && !records.LooksLikeTls)
        {
            PlaintextPort(ctx, sentLine, ms, recorded);
            return;
        }

        if (recorded.Length == 0 && !ctx.Options.NoFollowUpProbes)
        {
            // A plain HTTP server often waits for a line end that a ClientHello never contains: ask it in HTTP.
            var answer = await Dialer.PlainHttpProbeAsync(route, ctx.Target.HostHeader, FollowUpTimeout(ctx), ctx.Deadline).ConfigureAwait(false);
            if (answer.AsSpan().StartsWith("HTTP/"u8))
            {
                PlaintextPort(ctx, sentLine, ms, answer, followUp: true);
                return;
            }
        }

        if (records.Alert is { Description: 116 } || records.SawCertificateRequest || error.Contains("certificate required", StringComparison.OrdinalIgnoreCase))
        {
            var evidence = new List<string> { sentLine, $"TLS error: {error}" };
            if (records.SawCertificateRequest)
            {
                evidence.Add("the server sent a CertificateRequest during the handshake");
            }

            ctx.Add(Finding.Create(Codes.TlsClientCertRequired, "the server requires a client certificate (mutual TLS)", evidence));
            ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, "client certificate required");
            return;
        }

        if (records.Alert is { Description: 120 })
        {
            ctx.Add(Finding.Create(Codes.TlsAlpnH2Only, "the server refused ALPN http/1.1 (no_application_protocol)",
                [sentLine, "we offered ALPN http/1.1 only, as every RFC 6455 client does", $"TLS error: {error}"]));
            ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, "no_application_protocol");
            return;
        }

        var message = records.Alert is { } alert
            ? $"the server aborted the handshake with alert {TlsRecords.AlertName(alert.Description)}"
            : timedOut
                ? recorded.Length == 0 ? "the TLS handshake stalled: no ServerHello" : $"the TLS handshake stalled after {recorded.Length} bytes"
                : "the TLS handshake failed";
        var lines = new List<string> { sentLine, $"TLS error: {error}" };
        var data = new Dictionary<string, object?> { ["alert"] = records.Alert is { } a ? TlsRecords.AlertName(a.Description) : null };
        if (records.Alert is { Description: 112 })
        {
            lines.Add($"unrecognized_name: the server has no certificate for SNI '{ctx.Target.Host}' — check server_name / the Host you connect to");
        }

        if (!ctx.Options.NoFollowUpProbes && !timedOut)
        {
            var accepted = await ProbeVersionsAsync(ctx, route).ConfigureAwait(false);
            lines.Add(accepted.Count == 0
                ? "the server completed no handshake with TLS 1.2 or TLS 1.3 alone either"
                : $"the server accepts: {string.Join(", ", accepted)}");
            data["acceptedVersions"] = accepted.ToArray();
        }

        ctx.Add(Finding.Create(Codes.TlsHandshakeFailed, message, lines, data: data));
        ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, message);
    }

    private static async Task<List<string>> ProbeVersionsAsync(DiagnosisContext ctx, Route route)
    {
        var accepted = new List<string>();
        foreach (var protocol in new[] { SslProtocols.Tls12, SslProtocols.Tls13 })
        {
            var (negotiated, _) = await Dialer.TlsProbeAsync(route, ctx.Target.Host.Trim('[', ']'), protocol, FollowUpTimeout(ctx), ctx.Deadline).ConfigureAwait(false);
            if (negotiated is { } p)
            {
                accepted.Add(TlsProbe.Describe(p));
            }
        }

        return accepted;
    }

    private static void PlaintextPort(DiagnosisContext ctx, string sentLine, double ms, byte[] bytes, bool followUp = false)
    {
        var evidence = new List<string> { sentLine };
        if (followUp)
        {
            evidence.Add($"a plain HTTP request to the same port was answered: {ByteEvidence.Describe(bytes)}");
        }

        var statusLine = Encoding.Latin1.GetString(bytes).Split('\n')[0].Trim();
        var plainUrl = "ws://" + ctx.Target.Uri.Authority + ctx.Target.PathAndQuery;
        ctx.Add(Finding.Create(Codes.TlsPlaintextPort,
            $"port {ctx.Target.Port} speaks plain {(statusLine.StartsWith("HTTP/", StringComparison.Ordinal) ? "HTTP" : "text")}, not TLS",
            evidence,
            $"Use ws:// for this port ({Protocol.Secrets.SecretRedactor.RedactUrl(plainUrl)}), or connect to the port where the server terminates TLS.",
            new Dictionary<string, object?> { ["plainAnswer"] = statusLine, ["suggestedUrl"] = Protocol.Secrets.SecretRedactor.RedactUrl(plainUrl) }));
        ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, "the port does not speak TLS");
    }

    public static TimeSpan FollowUpTimeout(DiagnosisContext ctx) =>
        TimeSpan.FromMilliseconds(Math.Min(ctx.Options.StepTimeout.TotalMilliseconds, 2000));
}
