using Wsdoctor.Protocol;
using System.Net;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Secrets;
using Wsdoctor.Probes.Auth;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Net;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

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
            ctx.Layer(Layer.Http, ctx.StatusOf(Layer.Http), result.Ms, Verbatim($"101 {head.Reason}".TrimEnd()));
            return (result, key);
        }

        await StatusFindings.AddAsync(ctx, route, result, material).ConfigureAwait(false);
        ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, Verbatim($"{head.StatusCode} {head.Reason}".TrimEnd()) + ServerSuffix(head.Get("Server")));
        return null;
    }

    private static Text ServerSuffix(string? server) => server is null ? Empty : T($" (Server: {server})", $"（Server: {server}）");

    public static string Redact(DiagnosisContext ctx, string head) => ctx.Options.ShowSecrets ? head : SecretRedactor.RedactHead(head);

    /// <summary>TLS 1.3 mutual TLS: the handshake "succeeds" on our side, then the server checks the certificate we
    /// sent (or that we sent none) and hangs up before answering the upgrade.</summary>
    private static void ClientCertificateRejected(DiagnosisContext ctx, ClientCertificateRequest request, Text received, double ms)
    {
        var evidence = new List<Text>
        {
            ClientCertificateRefusal.AskedFor(request),
            request.SentSubject is { } subject ? T($"we sent {subject} (--cert)", $"我们发送了 {subject}（--cert）") : T("we had none to send (no --cert)", "我们没有可发送的证书（未指定 --cert）"),
            received + T(" after the handshake", "（发生在握手之后）"),
        };
        var message = request.SentSubject is null
            ? T("the server requires a client certificate (mutual TLS) and we sent none", "服务端要求客户端证书（双向 TLS），而我们没有发送")
            : T("the server rejected our client certificate (mutual TLS)", "服务端拒绝了我们的客户端证书（双向 TLS）");
        var issuer = request.AcceptableIssuers.Length > 0 ? request.AcceptableIssuers[0] : null;
        var fix = request.SentSubject is null
            ? T("Pass the client certificate and key: --cert client.pem --key client-key.pem (browsers pick one from the OS/browser store).",
                "传入客户端证书和私钥：--cert client.pem --key client-key.pem（浏览器会从操作系统或浏览器的证书库中选一张）。")
            : issuer is null
                ? T("Use a client certificate issued by a CA the server trusts, not expired, with the clientAuth usage.",
                    "使用由服务端信任的 CA 签发、未过期、且带 clientAuth 用途的客户端证书。")
                : T($"Use a client certificate issued by a CA the server trusts ({issuer}), not expired, with the clientAuth usage.",
                    $"使用由服务端信任的 CA（{issuer}）签发、未过期、且带 clientAuth 用途的客户端证书。");
        ctx.Add(Finding.Create(Codes.TlsClientCertRequired, message, evidence, fix));
        ctx.Layer(Layer.Http, LayerStatus.NotReached, ms, T("closed after the TLS handshake (client certificate)", "TLS 握手后服务端关闭了连接（客户端证书）"));
    }

    private static async Task NoValidResponseAsync(DiagnosisContext ctx, Route route, ExchangeResult result)
    {
        var prefix = result.Prefix;
        var received = result.BytesReceived == 0
            ? result.Outcome == ExchangeOutcome.Closed
                ? T("the server closed the connection without sending a byte", "服务端没有发送任何字节就关闭了连接")
                : T("not a single byte came back", "一个字节也没有收到")
            : T($"received {result.BytesReceived} byte(s): {ByteEvidence.Describe(prefix)}", $"收到 {result.BytesReceived} 字节：{ByteEvidence.Describe(prefix)}");

        if (TlsRecords.IsTlsRecordStart(prefix))
        {
            ExpectedPlaintext(ctx, result, [T($"the answer is a TLS record, not HTTP: {ByteEvidence.Hex(prefix)}", $"应答是 TLS 记录，不是 HTTP：{ByteEvidence.Hex(prefix)}")]);
            return;
        }

        if (IsHttp2(prefix))
        {
            ctx.Add(Finding.Create(Codes.HttpHttp2Only, T("the server answered an HTTP/1.1 request with HTTP/2", "服务端用 HTTP/2 应答了 HTTP/1.1 请求"),
                [received, T("RFC 6455 upgrades need HTTP/1.1 on the connection", "RFC 6455 的升级要求连接使用 HTTP/1.1")]));
            ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, T("HTTP/2 answer", "HTTP/2 应答"));
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
                ExpectedPlaintext(ctx, result, [received, T($"a TLS handshake on the same port succeeds ({TlsProbe.Describe(p)})", $"同一端口上的 TLS 握手成功（{TlsProbe.Describe(p)}）")]);
                return;
            }
        }

        var waited = result.Ms / 1000;
        var evidence = new List<Text> { received, T($"upgrade request sent to {route.Describe}; waited {waited:0.0} s", $"升级请求已发往 {RouteText(route)}；等待了 {waited:0.0} s") };
        if (result.Error is { } error)
        {
            evidence.Add(error);
        }

        if (result.Outcome is ExchangeOutcome.Invalid or ExchangeOutcome.TooLarge)
        {
            ctx.Add(Finding.Create(Codes.HttpInvalidResponse,
                result.Outcome == ExchangeOutcome.TooLarge
                    ? T("the response head never ends (over 64 KiB)", "响应头一直没有结束（超过 64 KiB）")
                    : T("the answer is not an HTTP response", "应答不是 HTTP 响应"),
                evidence, data: new Dictionary<string, object?> { ["firstBytes"] = ByteEvidence.Hex(prefix, 32) }));
            ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, T("not HTTP", "不是 HTTP"));
            return;
        }

        var message = result.BytesReceived > 0
            ? T($"the response head was incomplete after {waited:0.0} s ({result.BytesReceived} bytes)", $"{waited:0.0} s 后响应头仍不完整（{result.BytesReceived} 字节）")
            : result.Outcome == ExchangeOutcome.Closed
                ? T("the server closed the connection without answering", "服务端没有应答就关闭了连接")
                : T($"no answer within {waited:0.0} s", $"{waited:0.0} s 内没有应答");
        ctx.Add(Finding.Create(Codes.HttpNoResponse, message, evidence,
            data: new Dictionary<string, object?> { ["bytesReceived"] = result.BytesReceived, ["waitedMs"] = Math.Round(result.Ms) }));
        ctx.Layer(Layer.Http, LayerStatus.Failed, result.Ms, message);
    }

    /// <summary>Where the upgrade request went, in every language (<see cref="Route.Describe"/> is its English).</summary>
    private static Text RouteText(Route route) => route.Proxy is null
        ? Verbatim(route.Describe)
        : T(route.Describe, $"{route.TargetHost}:{route.TargetPort}（经由 {Tcp.ConnectAttempt.Format(route.EndPoint)} 上的代理）");

    public static void ExpectedPlaintext(DiagnosisContext ctx, ExchangeResult result, IEnumerable<Text> evidence)
    {
        var tlsUrl = Protocol.Secrets.SecretRedactor.RedactUrl("wss://" + ctx.Target.Uri.Authority + ctx.Target.PathAndQuery);
        ctx.Add(Finding.Create(Codes.TlsExpectedPlaintext, T($"port {ctx.Target.Port} speaks TLS: use wss://", $"端口 {ctx.Target.Port} 使用的是 TLS：请用 wss://"),
            evidence, T($"Use {tlsUrl}.", $"请使用 {tlsUrl}。"), new Dictionary<string, object?> { ["suggestedUrl"] = tlsUrl }));
        ctx.Layer(Layer.Tls, LayerStatus.Failed, result.Ms, T("the port expects TLS", "该端口需要 TLS"));
    }

    private static bool IsHttp2(ReadOnlySpan<byte> prefix) =>
        prefix.StartsWith("HTTP/2"u8) || prefix.StartsWith("PRI * HTTP/2"u8)
        // An HTTP/2 server's first frame is SETTINGS: length(3) type=4 flags(1) stream id 0 (RFC 9113 3.4, 6.5).
        || (prefix.Length >= 9 && prefix[3] == 4 && prefix[5] == 0 && prefix[6] == 0 && prefix[7] == 0 && prefix[8] == 0);

    public static string BodySnippet(byte[] body) => BodyText(body);

    /// <summary>A little of the body for evidence: what the server sent, or "(empty body)".</summary>
    public static Text BodyText(byte[] body) =>
        body.Length == 0 ? T("(empty body)", "（空响应体）") : Verbatim(ByteEvidence.Snippet(Encoding.UTF8.GetBytes(CollapseWhitespace(Encoding.UTF8.GetString(body))), 160));

    /// <summary>The evidence line "body: …".</summary>
    public static Text BodyLine(Text body) => T($"body: {body}", $"响应体：{body}");

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
