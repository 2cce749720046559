using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

internal static class WsSessionScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return Handshake("ws-bad-accept", Codes.WsBadAccept, T("101 with a wrong Sec-WebSocket-Accept", "101 响应里的 Sec-WebSocket-Accept 是错的"),
            _ => "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: dGhpcyBpcyB3cm9uZw==\r\n\r\n",
            Expect.DataEquals(Codes.WsBadAccept, "received", "dGhpcyBpcyB3cm9uZw=="));
        yield return Handshake("ws-missing-upgrade", Codes.WsMissingUpgradeHeaders, T("101 without Upgrade and Connection (a proxy stripped them)", "101 响应没有 Upgrade 和 Connection（被代理去掉了）"),
            r => $"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: {RawHttp.Accept(r)}\r\n\r\n",
            Expect.Mentions(Codes.WsMissingUpgradeHeaders, "Upgrade: (absent)"));
        yield return Handshake("ws-subprotocol-ignored", Codes.WsSubprotocolNotSelected, T("client offers chat.v1, server selects nothing", "客户端提供 chat.v1，服务端什么子协议也没选"),
            r => RawHttp.SwitchingProtocols(r),
            Expect.DataContains(Codes.WsSubprotocolNotSelected, "offered", "chat.v1"), subprotocol: "chat.v1");
        yield return Handshake("ws-subprotocol-unasked", Codes.WsSubprotocolUnexpected, T("server selects a subprotocol nobody offered", "服务端选了一个没人提供过的子协议"),
            r => RawHttp.SwitchingProtocols(r, false, "Sec-WebSocket-Protocol: superchat"),
            Expect.DataEquals(Codes.WsSubprotocolUnexpected, "selected", "superchat"));
        yield return Handshake("ws-extension-unasked", Codes.WsExtensionUnexpected, T("server enables permessage-deflate unasked", "客户端没请求，服务端却启用了 permessage-deflate"),
            r => RawHttp.SwitchingProtocols(r, false, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"),
            Expect.Mentions(Codes.WsExtensionUnexpected, "permessage-deflate"));

        yield return After("session-no-pong", Codes.SessionNoPong, T("server ignores Ping frames", "服务端忽略 Ping 帧"),
            (s, ct) => FrameLoop.RunAsync(s, ct, answerPings: false), Expect.Mentions(Codes.SessionNoPong, "no Pong"));
        foreach (var (code, reason) in new[] { (1008, "token expired"), (1011, "internal error"), (1013, "try again later"), (4001, "room is full") })
        {
            yield return After($"session-close-{code}", Codes.SessionClosedByServer, T($"server closes at once with {code} \"{reason}\"", $"服务端立即以 {code} \"{reason}\" 关闭连接"),
                async (s, ct) =>
                {
                    await RawHttp.WriteAsync(s, FrameWriter.BuildClose(code, reason, mask: false), ct).ConfigureAwait(false);
                    await FrameLoop.RunAsync(s, ct).ConfigureAwait(false);
                },
                Expect.All(Expect.DataEquals(Codes.SessionClosedByServer, "closeCode", code), Expect.DataEquals(Codes.SessionClosedByServer, "closeReason", reason)));
        }

        yield return Violation("session-masked-frame", T("server masks its frames", "服务端对自己发送的帧加了掩码"), FrameWriter.Build(Opcode.Text, "hello"u8, mask: true), ViolationKind.MaskedFrameFromServer);
        // 0xC1: FIN, RSV1, text — RSV1 without a negotiated extension.
        yield return Violation("session-reserved-bits", T("RSV1 set without an extension", "没有协商扩展却设置了 RSV1"), FrameWriter.BuildRaw(0xC1, "hello"u8, mask: false), ViolationKind.ReservedBitsSet);
        // 0x83: FIN, opcode 3 (reserved non-control opcode).
        yield return Violation("session-reserved-opcode", T("frame with reserved opcode 3", "帧使用了保留的操作码 3"), FrameWriter.BuildRaw(0x83, "hello"u8, mask: false), ViolationKind.ReservedOpcode);
        // 0x09: Ping without FIN — control frames must not be fragmented.
        yield return Violation("session-fragmented-ping", T("fragmented control frame", "控制帧被分片"), FrameWriter.BuildRaw(0x09, "x"u8, mask: false), ViolationKind.FragmentedControlFrame);
        yield return Violation("session-invalid-utf8", T("text message that is not UTF-8", "文本消息不是合法的 UTF-8"), FrameWriter.Build(Opcode.Text, [0xC3, 0x28], mask: false), ViolationKind.InvalidUtf8);
        yield return After("session-abnormal-close", Codes.SessionAbnormalClose, T("server drops TCP right after the 101, no Close frame", "服务端在 101 之后立即断开 TCP，没有关闭帧"),
            (_, ct) => Task.Delay(50, ct), Expect.DataBetween(Codes.SessionAbnormalClose, "afterMs", 0, 1500));
        yield return new("session-echo-mismatch", Codes.SessionEchoMismatch, T("--expect asks for a reply the echo server never sends", "--expect 期待的回复，echo 服务端永远不会发"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { Send = "hello", Expect = "^goodbye$" },
                    Expect.DataEquals(Codes.SessionEchoMismatch, "expect", "^goodbye$"), server);
            });
        yield return new("session-slow-upgrade", Codes.SessionSlow, T("server takes 1.3 s to answer the upgrade", "服务端要 1.3 s 才响应升级请求"),
            (env, _) =>
            {
                var server = RawServer.Start(async (s, ct) =>
                {
                    var request = await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                    await Task.Delay(1300, ct).ConfigureAwait(false);
                    await RawHttp.WriteAsync(s, RawHttp.SwitchingProtocols(request!), ct).ConfigureAwait(false);
                    await FrameLoop.RunAsync(s, ct).ConfigureAwait(false);
                });
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { StepTimeout = TimeSpan.FromSeconds(4) },
                    Expect.DataBetween(Codes.SessionSlow, "upgradeMs", 1250, 3000), server));
            });

        yield return new("healthy-ws", LabScenario.Healthy, T("correct ws:// endpoint (Kestrel)", "正确的 ws:// 端点（Kestrel）"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws") with { Send = "hello", Expect = "^hello$" }, Healthy, server);
            });
        yield return new("healthy-wss", LabScenario.Healthy, T("correct wss:// endpoint (Kestrel, full chain, lab CA via --ca)", "正确的 wss:// 端点（Kestrel，完整证书链，通过 --ca 使用 lab CA）"),
            async (env, ct) =>
            {
                var (leaf, chain) = env.Leaf(env.Hosts("localhost", "127.0.0.1"));
                var server = await KestrelEcho.StartAsync(leaf, chain, ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"wss://127.0.0.1:{server.Port}/ws") with { CaFile = env.CaFile }, Healthy, server);
            });
    }

    private static Text? Healthy(Probes.Diagnosis.CheckReport report) =>
        report.Timings.PingRttMs is null ? T("healthy endpoint but no ping RTT measured", "端点正常，但没有测到 ping 的 RTT") : null;

    private static LabScenario Handshake(string name, string code, Text description, Func<Protocol.Http.RequestHead, string> response,
        Func<Probes.Diagnosis.CheckReport, Text?> verify, string? subprotocol = null) =>
        new(name, code, description, (env, _) =>
        {
            var server = RawServer.Start(async (s, ct) =>
            {
                var request = await RawHttp.ReadRequestAsync(s, ct).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                await RawHttp.WriteAsync(s, response(request), ct).ConfigureAwait(false);
                await FrameLoop.RunAsync(s, ct).ConfigureAwait(false);
            });
            var options = env.Check($"ws://127.0.0.1:{server.Port}/ws");
            return Task.FromResult(new LabInstance(subprotocol is null ? options : options with { Subprotocols = [subprotocol] }, verify, server));
        });

    private static LabScenario After(string name, string code, Text description, Func<Stream, CancellationToken, Task> after, Func<Probes.Diagnosis.CheckReport, Text?> verify) =>
        new(name, code, description, (env, _) =>
        {
            var server = RawServer.Start(FrameLoop.Upgrade(after));
            return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws"), verify, server));
        });

    private static LabScenario Violation(string name, Text description, byte[] frame, ViolationKind kind) =>
        After(name, Codes.SessionProtocolViolation, description, async (s, ct) =>
        {
            await RawHttp.WriteAsync(s, frame, ct).ConfigureAwait(false);
            await FrameLoop.RunAsync(s, ct).ConfigureAwait(false);
        }, Expect.DataEquals(Codes.SessionProtocolViolation, "violation", kind.ToString()));
}
