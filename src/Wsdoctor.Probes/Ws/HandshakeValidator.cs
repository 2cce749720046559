using Wsdoctor.Findings;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;

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
                accept is null ? "the 101 has no Sec-WebSocket-Accept header" : "Sec-WebSocket-Accept does not match the key we sent",
                [$"Sec-WebSocket-Key sent: {key}", $"expected Sec-WebSocket-Accept: {expected}", $"received: {accept ?? "(absent)"}"],
                data: new Dictionary<string, object?> { ["expected"] = expected, ["received"] = accept }));
        }

        var upgrade = head.HasToken("Upgrade", "websocket");
        var connection = head.HasToken("Connection", "upgrade");
        if (!upgrade || !connection)
        {
            ctx.Add(Finding.Create(Codes.WsMissingUpgradeHeaders,
                $"the 101 lacks {string.Join(" and ", new[] { upgrade ? null : "Upgrade: websocket", connection ? null : "Connection: Upgrade" }.OfType<string>())}",
                [$"Upgrade: {head.Get("Upgrade") ?? "(absent)"}", $"Connection: {head.Get("Connection") ?? "(absent)"}"]));
        }

        var offered = UpgradeRequestSpec.OfferedSubprotocols(ctx.Options);
        var selected = head.Get("Sec-WebSocket-Protocol");
        if (offered.Count > 0 && selected is null)
        {
            ctx.Add(Finding.Create(Codes.WsSubprotocolNotSelected,
                $"we offered {string.Join(", ", offered.Select(Display))} and the server selected none",
                [$"Sec-WebSocket-Protocol offered: {string.Join(", ", offered.Select(Display))}", "Sec-WebSocket-Protocol in the 101: (absent)",
                 "Chrome: \"Error during WebSocket handshake: Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received\""],
                data: new Dictionary<string, object?> { ["offered"] = offered.Select(Display).ToArray() }));
        }
        else if (selected is not null && !offered.Contains(selected, StringComparer.Ordinal))
        {
            ctx.Add(Finding.Create(Codes.WsSubprotocolUnexpected,
                $"the server selected '{Display(selected)}', which was not offered",
                [$"offered: {(offered.Count == 0 ? "(none)" : string.Join(", ", offered.Select(Display)))}", $"selected: {Display(selected)}"],
                data: new Dictionary<string, object?> { ["selected"] = Display(selected) }));
        }

        // wsdoctor check offers no extension, so any extension in the answer was not asked for (RFC 6455 9.1).
        var extensions = head.Get("Sec-WebSocket-Extensions");
        if (!string.IsNullOrWhiteSpace(extensions))
        {
            ctx.Add(Finding.Create(Codes.WsExtensionUnexpected,
                $"the server enabled '{extensions}' although no extension was offered",
                ["Sec-WebSocket-Extensions offered: (none)", $"Sec-WebSocket-Extensions in the 101: {extensions}"],
                data: new Dictionary<string, object?> { ["extensions"] = extensions }));
        }

        ctx.Facts = ctx.Facts with { Subprotocol = selected is null ? null : Display(selected), Extensions = extensions };
        var summary = ctx.HasError(Layer.Ws) ? "invalid 101 response" : $"valid handshake{(selected is null ? "" : $", subprotocol {Display(selected)}")}";
        ctx.Layer(Layer.Ws, ctx.StatusOf(Layer.Ws), null, summary);
    }

    private static string Display(string protocol) =>
        protocol.Length > 40 || protocol.Count(c => c == '.') == 2 ? Protocol.Secrets.SecretRedactor.Redact(protocol) : protocol;
}
