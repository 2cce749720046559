using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

/// <summary>What boxes in the path do to a long-lived connection (check --idle) and what servers do to big messages
/// (check --max-size-probe): a healthy Kestrel echo behind a relay that plays the box.</summary>
internal static class IntermediaryScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return Relay("session-idle-timeout", Codes.SessionIdleTimeout, T("a box in the path closes connections silent for 2 s (FIN, no Close frame)", "路径上有个设备会关闭空闲 2 s 的连接（FIN，没有关闭帧）"),
            RelayFault.IdleFin, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), keepalive: null,
            Expect.All(Expect.DataBetween(Codes.SessionIdleTimeout, "seconds", 1.5, 2.8), Expect.DataEquals(Codes.SessionIdleTimeout, "cutBy", "fin")));
        yield return Relay("session-lifetime-limit", Codes.SessionLifetimeLimit, T("a box ends every connection 2.5 s after it opened, pings or not", "路径上有个设备在连接建立 2.5 s 后一律断开，不管有没有 ping"),
            RelayFault.Lifetime, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5), keepalive: TimeSpan.FromMilliseconds(500),
            Expect.DataBetween(Codes.SessionLifetimeLimit, "seconds", 2.0, 3.3));
        yield return Relay("session-flow-forgotten", Codes.SessionFlowForgotten, T("a NAT-like box forgets flows silent for 1.5 s and answers the next packet with RST", "类似 NAT 的设备会忘掉空闲 1.5 s 的连接，对下一个包回 RST"),
            RelayFault.ForgetThenReset, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5), keepalive: null,
            Expect.DataEquals(Codes.SessionFlowForgotten, "answer", "rst"));
        yield return new("session-message-too-big", Codes.SessionMessageTooBig, T("the server closes with 1009 above 200 000 bytes (--max-size-probe)", "消息超过 200 000 字节时服务端以 1009 关闭（--max-size-probe）"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(maxMessageBytes: 200_000, ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://127.0.0.1:{server.Port}/ws") with { MaxSizeProbe = true, MaxSizeLimit = 1024 * 1024 };
                return new LabInstance(options, Expect.All(
                    Expect.DataBetween(Codes.SessionMessageTooBig, "acceptedBytes", 198_000, 200_000),
                    Expect.DataEquals(Codes.SessionMessageTooBig, "closeCode", 1009)), server);
            });
    }

    private static LabScenario Relay(string name, string code, Text description, RelayFault fault, TimeSpan threshold, TimeSpan idle, TimeSpan? keepalive, Func<Probes.Diagnosis.CheckReport, Text?> verify) =>
        new(name, code, description, async (env, ct) =>
        {
            var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
            var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, server.Port), fault, threshold);
            var options = env.Check($"ws://127.0.0.1:{relay.Port}/ws") with { Idle = idle, IdleKeepalive = keepalive };
            return new LabInstance(options, verify, relay, server);
        });
}
