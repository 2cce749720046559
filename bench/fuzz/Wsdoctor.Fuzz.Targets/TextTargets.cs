using System.Text;
using Wsdoctor.Conform.Harness;
using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Browser.Rules;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Auth;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>The parsers of short texts a server, a page or a user hands over: URLs, JWTs, CSP headers, the
/// Autobahn harness's request targets.</summary>
public static class TextTargets
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("fuzz-secret");
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PageOrigin Page = new("https", "app.example", 443);
    private static readonly Uri[] WebSockets = [new("wss://app.example/ws"), new("ws://127.0.0.1:8080/socket?x=1"), new("wss://[::1]:9443/"), new("ws://app.example:80/ws")];
    private static readonly string[] CaseIds = ["1.1.1", "1.1.2", "2.1", "9.1.1", "12.1.1"];

    public static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    /// <summary><c>check URL</c>'s url layer, what it builds from the URL, and <c>--page-origin</c>.</summary>
    public static void Url(byte[] input)
    {
        var text = Text(input);
        var (target, findings) = UrlProbe.Analyze(text);
        Invariants.Require(target is not null || findings.Count > 0, "url", "no target and no finding saying why");
        if (target is not null)
        {
            Invariants.Require(target.Uri.Scheme is "ws" or "wss", "url", $"accepted scheme {target.Uri.Scheme}");
            _ = target.HostHeader;
            _ = target.PathAndQuery;
            _ = target.SameHostOrigin;
            _ = target.HostIsIpLiteral;
            _ = target.WithPathAndQuery("/probe?x=1");
            _ = SecretRedactor.RedactUrl(target.Uri.ToString());
        }

        if (!PageOrigin.TryParse(text, out var origin, out var error))
        {
            Invariants.Require(origin is null && !string.IsNullOrEmpty(error), "url", "a refused page origin without an error");
        }
        else
        {
            _ = origin!.Serialized;
        }
    }

    /// <summary>Token decoding for the auth layer's evidence, HS256 verification (serve --jwt-secret), redaction.</summary>
    public static void Jwt(byte[] input)
    {
        var text = Text(input);
        if (JwtInspector.TryDecode(text, out var info))
        {
            Invariants.Require(info is not null, "jwt", "decoded without info");
        }

        var verdict = Hs256Verifier.Verify(text, Secret, Now, TimeSpan.FromSeconds(30));
        Invariants.Require(Enum.IsDefined(verdict), "jwt", $"verdict {verdict}");
        _ = SecretRedactor.RedactHeaderValue("Authorization", text);
        _ = SecretRedactor.RedactHead($"GET / HTTP/1.1\r\nAuthorization: {text}\r\nCookie: {text}\r\n\r\n");
    }

    /// <summary>Content-Security-Policy headers and meta tags, and the connect-src decision for a few WebSocket URLs.</summary>
    public static void Csp(byte[] input)
    {
        var text = Text(input);
        foreach (var source in Enum.GetValues<PolicySource>())
        {
            var policies = ContentSecurityPolicy.ParseList(text, source);
            foreach (var policy in policies)
            {
                foreach (var expression in policy.Directives.Values.SelectMany(v => v))
                {
                    _ = SourceExpression.TryParse(expression, out _);
                }
            }

            foreach (var ws in WebSockets)
            {
                var verdict = CspEvaluation.Evaluate(policies, Page, ws);
                Invariants.Require(verdict.Decisions.Count == policies.Count, "csp", "a decision per policy");
                _ = verdict.ConsoleText;
            }
        }
    }

    /// <summary>Autobahn's fuzzingserver protocol: the request target (path, query, case=N or casetuple=).</summary>
    public static void Harness(byte[] input)
    {
        var request = HarnessRequest.Parse(Text(input));
        Invariants.Require(request.Path.Length > 0, "harness", "an empty path");
        var number = request.CaseNumber(CaseIds);
        Invariants.Require(number is null || (number >= 1 && number <= CaseIds.Length), "harness", $"case number {number} outside 1..{CaseIds.Length}");
        _ = request.Agent;
    }
}
