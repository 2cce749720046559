using Wsdoctor.Protocol;
using System.Net;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Secrets;
using Wsdoctor.Probes.Auth;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Probes.Http;

/// <summary>The http layer: send the upgrade request, read the answer, and explain anything but a 101.</summary>
internal static class HttpProbe
{
    public static async Task<(ExchangeResult Result, string Key)?> RunAsync(DiagnosisContext ctx, Stream stream, Route route, TlsMaterial material)
    {
        var (request, key) = UpgradeRequestSpec.Build(ctx.Options, ctx.Target, ctx.Options.Origin);
        ctx.Facts = ctx.Facts with { RequestHead = Redact(ctx, request) };
        var result = await UpgradeExchange.RunAsync(stream, request, ctx.Options.StepTimeout, ctx.Options.Time, ctx.Deadline).ConfigureAwait(false);
        ctx.Timings = ctx.Timings with { UpgradeMs = result.Ms };
        ctx.UpgradeAnswer = result;

        if (result.Outcome != ExchangeOutcome.Response)
        {
            await NoValidResponseAsync(ctx, route, result).ConfigureAwait(false);
            return null;
        }

        var head = result.Head!;
        ctx.Intermediary = ReverseProxies.ProxyIdentifier.Identify(head, result.Body);
        ctx.Facts = ctx.Facts with
        {
            HttpStatus = head.StatusCode,
            Server = head.Get("Server"),
            Intermediary = ctx.Intermediary?.Display,
            ResponseHead = Redact(ctx, head.RawText),
        };

        AuthAnalysis.Run(ctx, head, result.ReceivedAt);
        if (head.StatusCode == 101)
        {
            await BrowserAuthAlternatives.RunAsync(ctx, material).ConfigureAwait(false);
            ctx.Layer(Layer.Http, ctx.StatusOf(Layer.Http), result.Ms, $"101 {head.Reason}".TrimEnd());
            return (result, key);
        }

        await StatusFindings.AddAsync(ctx, route, result, material).ConfigureAwait(false);
        ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, $"{head.StatusCode} {head.Reason}".TrimEnd() + ServerSuffix(head.Get("Server")));
        return null;
    }

    private static string ServerSuffix(string? server) => server is null ? "" : $" (Server: {server})";

    public static string Redact(DiagnosisContext ctx, string head) => ctx.Options.ShowSecrets ? head : SecretRedactor.RedactHead(head);

    /// <summary>TLS 1.3 mutual TLS: the handshake "succeeds" on our side, then the server checks the certificate we
    /// sent (or that we sent none) and hangs up before answering the upgrade.</summary>
    private static void ClientCertificateRejected(DiagnosisContext ctx, ClientCertificateRequest request, string received, double ms)
    {
        var evidence = new List<string>
        {
            $"during the TLS handshake the server asked for a client certificate{(request.AcceptableIssuers.Length > 0 ? $" issued by: {string.Join("; ", request.AcceptableIssuers)}" : "")}",
            request.SentSubject is { } subject ? $"we sent {subject} (--cert)" : "we had none to send (no --cert)",
            received + " after the handshake",
        };
        var message = request.SentSubject is null
            ? "the server requires a client certificate (mutual TLS) and we sent none"
            : "the server rejected our client certificate (mutual TLS)";
        var fix = request.SentSubject is null
            ? "Pass the client certificate and key: --cert client.pem --key client-key.pem (browsers pick one from the OS/browser store)."
            : "Use a client certificate issued by a CA the server trusts" + (request.AcceptableIssuers.Length > 0 ? $" ({request.AcceptableIssuers[0]})" : "") + ", not expired, with the clientAuth usage.";
        ctx.Add(Finding.Create(Codes.TlsClientCertRequired, message, evidence, fix));
        ctx.Layer(Layer.Http, LayerStatus.NotReached, ms, "closed after the TLS handshake (client certificate)");
    }

    private static async Task NoValidResponseAsync(DiagnosisContext ctx, Route route, ExchangeResult result)
    {
        var prefix = result.Prefix;
        var received = result.BytesReceived == 0
            ? result.Outcome == ExchangeOutcome.Closed ? "the server closed the connection without sending a byte" : "not a single byte came back"
            : $"received {result.BytesReceived} byte(s): {ByteEvidence.Describe(prefix)}";

        if (TlsRecords.IsTlsRecordStart(prefix))
        {
            ExpectedPlaintext(ctx, result, [$"the answer is a TLS record, not HTTP: {ByteEvidence.Hex(prefix)}"]);
            return;
        }

        if (IsHttp2(prefix))
        {
            ctx.Add(Finding.Create(Codes.HttpHttp2Only, "the server answered an HTTP/1.1 request with HTTP/2",
                [received, "RFC 6455 upgrades need HTTP/1.1 on the connection"]));
            ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, "HTTP/2 answer");
            return;
        }

        if (result.BytesReceived == 0 && result.Outcome == ExchangeOutcome.Closed && ctx.ClientCertificateRequest is { } certificateRequest)
        {
            ClientCertificateRejected(ctx, certificateRequest, received, result.Ms);
            return;
        }

        if (!ctx.Target.IsSecure && result.Outcome is ExchangeOutcome.Timeout or ExchangeOutcome.Closed && !ctx.Options.NoFollowUpProbes)
        {
            // A TLS port waits for a ClientHello (or drops a plaintext request): ask it in TLS.
            var (protocol, _) = await Dialer.TlsProbeAsync(route, ctx.Target.Host.Trim('[', ']'), System.Security.Authentication.SslProtocols.None,
                TlsFailure.FollowUpTimeout(ctx), ctx.Deadline).ConfigureAwait(false);
            if (protocol is { } p)
            {
                ExpectedPlaintext(ctx, result, [received, $"a TLS handshake on the same port succeeds ({TlsProbe.Describe(p)})"]);
                return;
            }
        }

        var evidence = new List<string> { received, $"upgrade request sent to {route.Describe}; waited {result.Ms / 1000:0.0} s" };
        if (result.Error is { } error)
        {
            evidence.Add(error);
        }

        if (result.Outcome is ExchangeOutcome.Invalid or ExchangeOutcome.TooLarge)
        {
            ctx.Add(Finding.Create(Codes.HttpInvalidResponse,
                result.Outcome == ExchangeOutcome.TooLarge ? "the response head never ends (over 64 KiB)" : "the answer is not an HTTP response",
                evidence, data: new Dictionary<string, object?> { ["firstBytes"] = ByteEvidence.Hex(prefix, 32) }));
            ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, "not HTTP");
            return;
        }

        var message = result.BytesReceived > 0
            ? $"the response head was incomplete after {result.Ms / 1000:0.0} s ({result.BytesReceived} bytes)"
            : result.Outcome == ExchangeOutcome.Closed ? "the server closed the connection without answering" : $"no answer within {result.Ms / 1000:0.0} s";
        ctx.Add(Finding.Create(Codes.HttpNoResponse, message, evidence,
            data: new Dictionary<string, object?> { ["bytesReceived"] = result.BytesReceived, ["waitedMs"] = Math.Round(result.Ms) }));
        ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, message);
    }

    public static void ExpectedPlaintext(DiagnosisContext ctx, ExchangeResult result, IEnumerable<string> evidence)
    {
        var tlsUrl = "wss://" + ctx.Target.Uri.Authority + ctx.Target.PathAndQuery;
        ctx.Add(Finding.Create(Codes.TlsExpectedPlaintext, $"port {ctx.Target.Port} speaks TLS: use wss://",
            evidence, $"Use {Protocol.Secrets.SecretRedactor.RedactUrl(tlsUrl)}.", new Dictionary<string, object?> { ["suggestedUrl"] = Protocol.Secrets.SecretRedactor.RedactUrl(tlsUrl) }));
        ctx.Layer(Layer.Tls, LayerStatus.Failed, result.Ms, "the port expects TLS");
    }

    private static bool IsHttp2(ReadOnlySpan<byte> prefix) =>
        prefix.StartsWith("HTTP/2"u8) || prefix.StartsWith("PRI * HTTP/2"u8)
        // An HTTP/2 server's first frame is SETTINGS: length(3) type=4 flags(1) stream id 0 (RFC 9113 3.4, 6.5).
        || (prefix.Length >= 9 && prefix[3] == 4 && prefix[5] == 0 && prefix[6] == 0 && prefix[7] == 0 && prefix[8] == 0);

    public static string BodySnippet(byte[] body) =>
        body.Length == 0 ? "(empty body)" : ByteEvidence.Snippet(Encoding.UTF8.GetBytes(CollapseWhitespace(Encoding.UTF8.GetString(body))), 160);

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
