using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Probes.Tests.Session;

/// <summary>check --idle through real proxies with short timeouts, and through relays that play the stateful boxes
/// the cloud puts in the path: the cut must be measured to within a second and attributed correctly.</summary>
public class IdleTimeoutTests
{
    private static CheckOptions Options(string url, TimeSpan idle, TimeSpan? keepalive = null) => new()
    {
        Url = url,
        Idle = idle,
        IdleKeepalive = keepalive,
        StepTimeout = TimeSpan.FromSeconds(3),
        Environment = static _ => null,
    };

    private static Finding Single(CheckReport report, string code) =>
        report.Findings.SingleOrDefault(f => f.Code == code)
        ?? throw new Xunit.Sdk.XunitException($"no {code}: {string.Join(", ", report.Findings.Select(f => $"{f.Code} {f.Message}"))}");

    private static double Seconds(Finding finding) => Convert.ToDouble(finding.Data["seconds"], System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task Idle_ThroughNginx_CutAtProxyReadTimeout_NamesNginxAndItsDirective()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var nginx = await ProxyPeer.NginxAsync($$"""
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            server {
                listen 127.0.0.1:PORT;
                location / {
                    proxy_pass http://127.0.0.1:{{backend.Port}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_read_timeout 3s;
                }
            }
            """);

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{nginx.Port}/ws", TimeSpan.FromSeconds(10)));

        var cut = Single(report, Codes.SessionIdleTimeout);
        Assert.InRange(Seconds(cut), 2.0, 4.0);
        Assert.Equal("fin", cut.Data["cutBy"]);
        Assert.Equal("nginx", cut.Data["intermediary"]);
        Assert.Contains("proxy_read_timeout", cut.Fix);
        Assert.Equal(report.RootCause, cut);
    }

    [SkippableFact]
    public async Task Idle_ThroughNginxWithKeepalive_TheIdleTimeoutDisappears()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var nginx = await ProxyPeer.NginxAsync($$"""
            server {
                listen 127.0.0.1:PORT;
                location / {
                    proxy_pass http://127.0.0.1:{{backend.Port}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection upgrade;
                    proxy_read_timeout 3s;
                }
            }
            """);

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{nginx.Port}/ws", TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(1)));

        Assert.Equal(Verdict.Ok, report.Verdict);
        Assert.Contains("8 s with pings: still open", report.Layers.Single(l => l.Layer == Layer.Session).Summary);
    }

    [SkippableFact]
    public async Task Idle_ThroughHaproxyWithoutTimeoutTunnel_CutAtTimeoutClient()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var haproxy = await ProxyPeer.HaproxyAsync($"""
            defaults
                mode http
                timeout connect 2s
                timeout client 4s
                timeout server 4s
            frontend fe
                bind 127.0.0.1:PORT
                default_backend be
            backend be
                server s1 127.0.0.1:{backend.Port}
            """);

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{haproxy.Port}/ws", TimeSpan.FromSeconds(10)));

        var cut = Single(report, Codes.SessionIdleTimeout);
        Assert.InRange(Seconds(cut), 3.0, 5.0);
        Assert.Equal("fin", cut.Data["cutBy"]);
    }

    [SkippableFact]
    public async Task Idle_ThroughApache_CutAtTheServerTimeout()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var apache = await ProxyPeer.ApacheAsync($"""
            Timeout 3
            ProxyPass /ws http://127.0.0.1:{backend.Port}/ws upgrade=websocket
            """);

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{apache.Port}/ws", TimeSpan.FromSeconds(10)));

        var cut = Single(report, Codes.SessionIdleTimeout);
        Assert.InRange(Seconds(cut), 2.0, 4.0);
    }

    [SkippableFact]
    public async Task Idle_WithKeepaliveThroughALifetimeLimit_IsALifetimeLimit()
    {
        await using var backend = await KestrelEcho.StartAsync();
        await using var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, backend.Port), RelayFault.Lifetime, TimeSpan.FromSeconds(4));

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{relay.Port}/ws", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));

        var cut = Single(report, Codes.SessionLifetimeLimit);
        Assert.InRange(Seconds(cut), 3.0, 5.0);
        Assert.Contains("traffic or not", cut.Message);
    }

    [SkippableFact]
    public async Task Idle_ThroughABoxThatForgetsAndResets_FlowForgottenWithRst()
    {
        await using var backend = await KestrelEcho.StartAsync();
        await using var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, backend.Port), RelayFault.ForgetThenReset, TimeSpan.FromSeconds(2));

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{relay.Port}/ws", TimeSpan.FromSeconds(4)));

        var forgotten = Single(report, Codes.SessionFlowForgotten);
        Assert.Equal("rst", forgotten.Data["answer"]);
        Assert.DoesNotContain(report.Findings, f => f.Code == Codes.SessionIdleTimeout);
    }

    [SkippableFact]
    public async Task Idle_ThroughABoxThatForgetsAndDrops_FlowForgottenWithoutAnswer()
    {
        await using var backend = await KestrelEcho.StartAsync();
        await using var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, backend.Port), RelayFault.ForgetThenDrop, TimeSpan.FromSeconds(2));

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{relay.Port}/ws", TimeSpan.FromSeconds(4)));

        Assert.Equal("silent", Single(report, Codes.SessionFlowForgotten).Data["answer"]);
    }

    [SkippableFact]
    public async Task Idle_ServerClosesIdleConnections_IsTheApplicationNotAnIntermediary()
    {
        // A Python websockets server whose handler closes after 3 s without a message from the client.
        Peers.Require(Peers.Python);
        var (server, port) = await PeerProcess.StartAsync(Peers.Python, ["-c", """
            import asyncio, websockets
            async def handler(ws, path=None):
                try:
                    await asyncio.wait_for(ws.recv(), 3)
                except asyncio.TimeoutError:
                    await ws.close(4000, "idle")
            async def main():
                async with websockets.serve(handler, "127.0.0.1", 0, ping_interval=None) as s:
                    print(s.sockets[0].getsockname()[1], flush=True)
                    await asyncio.Future()
            asyncio.run(main())
            """], TimeSpan.FromSeconds(20));
        using (server)
        {
            var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{port.Trim()}/", TimeSpan.FromSeconds(8)));

            var cut = Single(report, Codes.SessionIdleTimeout);
            Assert.Equal("close", cut.Data["cutBy"]);
            Assert.Equal(4000, cut.Data["closeCode"]);
            Assert.Contains("the server application", cut.Message);
            Assert.InRange(Seconds(cut), 2.0, 4.0);
        }
    }

    [SkippableFact]
    public async Task Idle_NothingCutsIt_ThePingAfterTheSilenceIsAnswered()
    {
        await using var backend = await KestrelEcho.StartAsync();

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{backend.Port}/ws", TimeSpan.FromSeconds(3)));

        Assert.Equal(Verdict.Ok, report.Verdict);
        Assert.Contains("3 s of silence: still open", report.Layers.Single(l => l.Layer == Layer.Session).Summary);
    }
}
