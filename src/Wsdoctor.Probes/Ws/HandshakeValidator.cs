using Wsdoctor.Findings;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Ws;

/// <summary>The ws layer: is the 101 a valid WebSocket handshake response (RFC 6455 4.1, client requirements 1-6)?
/// Browsers fail the connection on any of these, even though the status was 101.</summary>
internal static class HandshakeValidator
{
    public static void Run(DiagnosisContext ctx, ResponseHead head, string key, double ms)
    {
        var expected = HandshakeKeys.ComputeAccept(key);
        var accept = head.Get("Sec-WebSocket-Accept");
        if (accept != expected)
        {
            ctx.Add(Finding.Create(Codes.WsBadAccept,
                accept is null
                    ? T("the 101 has no Sec-WebSocket-Accept header", "101 响应缺少 Sec-WebSocket-Accept 响应头")
                    : T("Sec-WebSocket-Accept does not match the key we sent", "Sec-WebSocket-Accept 与我们发送的 Sec-WebSocket-Key 对不上"),
                [T($"Sec-WebSocket-Key sent: {key}", $"发送的 Sec-WebSocket-Key：{key}"), T($"expected Sec-WebSocket-Accept: {expected}", $"期望的 Sec-WebSocket-Accept：{expected}"),
                 T($"received: {accept ?? "(absent)"}", $"实际收到：{Absent(accept)}")],
                data: new Dictionary<string, object?> { ["expected"] = expected, ["received"] = accept }));
        }

        var upgrade = head.HasToken("Upgrade", "websocket");
        var connection = head.HasToken("Connection", "upgrade");
        if (!upgrade || !connection)
        {
            var missing = Join(T(" and ", " 和 "), new[] { upgrade ? null : "Upgrade: websocket", connection ? null : "Connection: Upgrade" }.OfType<string>().Select(Verbatim));
            ctx.Add(Finding.Create(Codes.WsMissingUpgradeHeaders,
                T($"the 101 lacks {missing}", $"101 响应缺少 {missing}"),
                [HeaderLine("Upgrade", head.Get("Upgrade")), HeaderLine("Connection", head.Get("Connection"))]));
        }

        var offered = UpgradeRequestSpec.OfferedSubprotocols(ctx.Options);
        var selected = head.Get("Sec-WebSocket-Protocol");
        if (offered.Count > 0 && selected is null)
        {
            var list = string.Join(", ", offered.Select(Display));
            ctx.Add(Finding.Create(Codes.WsSubprotocolNotSelected,
                T($"we offered {list} and the server selected none", $"我们提供了子协议 {list}，服务端一个也没有选中"),
                [T($"Sec-WebSocket-Protocol offered: {list}", $"提供的 Sec-WebSocket-Protocol：{list}"),
                 T("Sec-WebSocket-Protocol in the 101: (absent)", "101 响应中的 Sec-WebSocket-Protocol：（无）"),
                 T("Chrome: \"Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received\"",
                    "Chrome 报错：\"Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received\"")],
                data: new Dictionary<string, object?> { ["offered"] = offered.Select(Display).ToArray() }));
        }
        else if (selected is not null && !offered.Contains(selected, StringComparer.Ordinal))
        {
            ctx.Add(Finding.Create(Codes.WsSubprotocolUnexpected,
                T($"the server selected '{Display(selected)}', which was not offered", $"服务端选中了客户端没有提供的子协议 '{Display(selected)}'"),
                [offered.Count == 0 ? T("offered: (none)", "提供的子协议：（无）") : T($"offered: {string.Join(", ", offered.Select(Display))}", $"提供的子协议：{string.Join(", ", offered.Select(Display))}"),
                 T($"selected: {Display(selected)}", $"选中的子协议：{Display(selected)}")],
                data: new Dictionary<string, object?> { ["selected"] = Display(selected) }));
        }

        // wsdoctor check offers no extension, so any extension in the answer was not asked for (RFC 6455 9.1).
        var extensions = head.Get("Sec-WebSocket-Extensions");
        if (!string.IsNullOrWhiteSpace(extensions))
        {
            ctx.Add(Finding.Create(Codes.WsExtensionUnexpected,
                T($"the server enabled '{extensions}' although no extension was offered", $"客户端没有提供任何扩展，服务端却启用了 '{extensions}'"),
                [T("Sec-WebSocket-Extensions offered: (none)", "提供的 Sec-WebSocket-Extensions：（无）"),
                 T($"Sec-WebSocket-Extensions in the 101: {extensions}", $"101 响应中的 Sec-WebSocket-Extensions：{extensions}")],
                data: new Dictionary<string, object?> { ["extensions"] = extensions }));
        }

        ctx.Facts = ctx.Facts with { Subprotocol = selected is null ? null : Display(selected), Extensions = extensions };
        var summary = ctx.HasError(Layer.Ws) ? T("invalid 101 response", "101 响应无效")
            : selected is null ? T("valid handshake", "握手有效")
            : T($"valid handshake, subprotocol {Display(selected)}", $"握手有效，子协议 {Display(selected)}");
        ctx.Layer(Layer.Ws, ctx.StatusOf(Layer.Ws), null, summary);
    }

    private static Text Absent(string? value) => value is null ? T("(absent)", "（无）") : Verbatim(value);

    /// <summary>"Name: value" as received, or "Name: (absent)".</summary>
    private static Text HeaderLine(string name, string? value) =>
        value is null ? T($"{name}: (absent)", $"{name}: {Absent(null)}") : Verbatim($"{name}: {value}");

    private static string Display(string protocol) =>
        protocol.Length > 40 || protocol.Count(c => c == '.') == 2 ? Protocol.Secrets.SecretRedactor.Redact(protocol) : protocol;
}
