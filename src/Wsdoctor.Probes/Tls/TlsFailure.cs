using Wsdoctor.Protocol;
using System.Net;
using System.Security.Authentication;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Net;
using static Wsdoctor.Findings.Text;

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
            ? (timedOut
                ? T($"the server sent nothing in {ms / 1000:0.0} s after our ClientHello", $"发出 ClientHello 后 {ms / 1000:0.0} s 内，服务端什么也没有发送")
                : T("the server closed the connection without sending a byte", "服务端没有发送任何字节就关闭了连接"))
            : T($"the server sent {recorded.Length} byte(s): {ByteEvidence.Describe(recorded)}", $"服务端发送了 {recorded.Length} 字节：{ByteEvidence.Describe(recorded)}");
        var errorLine = T($"TLS error: {error}", $"TLS 错误：{error}");

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
            var evidence = new List<Text> { sentLine, errorLine };
            if (records.SawCertificateRequest)
            {
                evidence.Add(T("the server sent a CertificateRequest during the handshake", "服务端在握手期间发送了 CertificateRequest"));
            }

            ctx.Add(Finding.Create(Codes.TlsClientCertRequired, T("the server requires a client certificate (mutual TLS)", "服务端要求客户端证书（双向 TLS）"), evidence));
            ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, T("client certificate required", "需要客户端证书"));
            return;
        }

        if (records.Alert is { Description: 120 })
        {
            ctx.Add(Finding.Create(Codes.TlsAlpnH2Only, T("the server refused ALPN http/1.1 (no_application_protocol)", "服务端拒绝了 ALPN http/1.1（no_application_protocol）"),
                [sentLine, T("we offered ALPN http/1.1 only, as every RFC 6455 client does", "我们只提供了 ALPN http/1.1，所有 RFC 6455 客户端都是如此"), errorLine]));
            ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, Verbatim("no_application_protocol"));
            return;
        }

        var message = records.Alert is { } alert
            ? T($"the server aborted the handshake with alert {TlsRecords.AlertName(alert.Description)}", $"服务端用告警 {TlsRecords.AlertName(alert.Description)} 中止了握手")
            : timedOut
                ? recorded.Length == 0
                    ? T("the TLS handshake stalled: no ServerHello", "TLS 握手卡住了：没有收到 ServerHello")
                    : T($"the TLS handshake stalled after {recorded.Length} bytes", $"TLS 握手在收到 {recorded.Length} 字节后卡住了")
                : T("the TLS handshake failed", "TLS 握手失败");
        var lines = new List<Text> { sentLine, errorLine };
        var data = new Dictionary<string, object?> { ["alert"] = records.Alert is { } a ? TlsRecords.AlertName(a.Description) : null };
        if (records.Alert is { Description: 112 })
        {
            lines.Add(T($"unrecognized_name: the server has no certificate for SNI '{ctx.Target.Host}' — check server_name / the Host you connect to",
                $"unrecognized_name：服务端没有 SNI '{ctx.Target.Host}' 对应的证书——检查 server_name 以及你连接的主机名"));
        }

        if (!ctx.Options.NoFollowUpProbes && !timedOut)
        {
            var accepted = await ProbeVersionsAsync(ctx, route).ConfigureAwait(false);
            lines.Add(accepted.Count == 0
                ? T("the server completed no handshake with TLS 1.2 or TLS 1.3 alone either", "单独用 TLS 1.2 或 TLS 1.3 时，服务端也没有完成握手")
                : T($"the server accepts: {string.Join(", ", accepted)}", $"服务端接受：{string.Join(", ", accepted)}"));
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

    private static void PlaintextPort(DiagnosisContext ctx, Text sentLine, double ms, byte[] bytes, bool followUp = false)
    {
        var evidence = new List<Text> { sentLine };
        if (followUp)
        {
            evidence.Add(T($"a plain HTTP request to the same port was answered: {ByteEvidence.Describe(bytes)}", $"向同一端口发出的普通 HTTP 请求得到了响应：{ByteEvidence.Describe(bytes)}"));
        }

        var statusLine = Encoding.Latin1.GetString(bytes).Split('\n')[0].Trim();
        var plainUrl = "ws://" + ctx.Target.Uri.Authority + ctx.Target.PathAndQuery;
        var http = statusLine.StartsWith("HTTP/", StringComparison.Ordinal);
        var suggested = Protocol.Secrets.SecretRedactor.RedactUrl(plainUrl);
        ctx.Add(Finding.Create(Codes.TlsPlaintextPort,
            T($"port {ctx.Target.Port} speaks plain {(http ? "HTTP" : "text")}, not TLS", $"端口 {ctx.Target.Port} 上跑的是明文{(http ? " HTTP" : "")}，不是 TLS"),
            evidence,
            T($"Use ws:// for this port ({suggested}), or connect to the port where the server terminates TLS.", $"这个端口请用 ws://（{suggested}），或连接服务端终止 TLS 的那个端口。"),
            new Dictionary<string, object?> { ["plainAnswer"] = statusLine, ["suggestedUrl"] = Protocol.Secrets.SecretRedactor.RedactUrl(plainUrl) }));
        ctx.Layer(Layer.Tls, LayerStatus.Failed, ms, T("the port does not speak TLS", "该端口不使用 TLS"));
    }

    public static TimeSpan FollowUpTimeout(DiagnosisContext ctx) =>
        TimeSpan.FromMilliseconds(Math.Min(ctx.Options.StepTimeout.TotalMilliseconds, 2000));
}
