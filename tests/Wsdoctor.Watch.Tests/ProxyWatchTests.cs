using System.Net;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Tests;

/// <summary>watch against the real proxies with short idle timeouts, and the lab's relay playing a load balancer with
/// a maximum connection age: the cause and the period of the recurring drops are named.</summary>
public sealed class ProxyWatchTests
{
    private const string NginxLocation = """
        server {
            listen 127.0.0.1:PORT;
            location / {
                proxy_pass http://127.0.0.1:UPSTREAM;
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection "upgrade";
                proxy_read_timeout 2s;
                proxy_send_timeout 2s;
            }
        }
        """;

    [SkippableFact]
    public async Task Watch_NginxReadTimeout_NamesIdleTimeoutOfTwoSecondsAndNginx()
    {
        await using var echo = await KestrelEcho.StartAsync();
        using var nginx = await ProxyPeer.NginxAsync(NginxLocation.Replace("UPSTREAM", echo.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var (summary, events) = await Watching.RunAsync($"ws://127.0.0.1:{nginx.Port}/", TimeSpan.FromSeconds(7.5));

        var why = Watching.Describe(summary, events);
        Assert.True(summary.DropCount >= 2, why);
        Assert.All(summary.Drops, d => Assert.Equal(Codes.SessionIdleTimeout, d.Code));
        Assert.All(summary.Drops, d => Assert.InRange(d.SilentSeconds, 1.6, 2.9));
        var pattern = Assert.Single(summary.Findings);
        Assert.Equal(Codes.SessionIdleTimeout, pattern.Code);
        Assert.InRange((double)pattern.Data["period"]!, 1.6, 2.9);
        Assert.Equal("nginx", pattern.Data["intermediary"]);
        Assert.Contains("nginx", pattern.Message, StringComparison.Ordinal);
        Assert.Contains("proxy_read_timeout", pattern.Fix, StringComparison.Ordinal);
        Assert.StartsWith("nginx", summary.Intermediary, StringComparison.Ordinal);
        Assert.True(summary.Reconnect.Count >= 2, why);
        Assert.InRange(summary.UptimePercent, 50, 99.9);
    }

    [SkippableFact]
    public async Task Watch_NginxReadTimeoutWithPingsBelowIt_HoldsTheConnection()
    {
        await using var echo = await KestrelEcho.StartAsync();
        using var nginx = await ProxyPeer.NginxAsync(NginxLocation.Replace("UPSTREAM", echo.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var (summary, events) = await Watching.RunAsync($"ws://127.0.0.1:{nginx.Port}/", TimeSpan.FromSeconds(5), pingInterval: TimeSpan.FromMilliseconds(500));

        Assert.True(summary.Healthy, Watching.Describe(summary, events));
        Assert.Equal(1, summary.Connections);
        Assert.True(summary.Rtt.Count >= 6, $"{summary.Rtt.Count} pongs");
        Assert.Empty(summary.Findings);
    }

    [SkippableFact]
    public async Task Watch_HaproxyTimeoutTunnel_NamesIdleTimeoutOfTwoSeconds()
    {
        await using var echo = await KestrelEcho.StartAsync();
        using var haproxy = await ProxyPeer.HaproxyAsync($"""
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
                timeout tunnel 2s
            frontend ws
                bind 127.0.0.1:PORT
                default_backend app
            backend app
                server echo 127.0.0.1:{echo.Port}
            """);

        var (summary, events) = await Watching.RunAsync($"ws://127.0.0.1:{haproxy.Port}/", TimeSpan.FromSeconds(7.5));

        var why = Watching.Describe(summary, events);
        Assert.True(summary.DropCount >= 2, why);
        Assert.All(summary.Drops, d => Assert.Equal(Codes.SessionIdleTimeout, d.Code));
        var pattern = Assert.Single(summary.Findings);
        Assert.Equal(Codes.SessionIdleTimeout, pattern.Code);
        Assert.InRange((double)pattern.Data["period"]!, 1.6, 2.9);
        // HAProxy adds no header to a 101, so the table of defaults speaks: no product defaults to 2 s.
        Assert.Contains(pattern.Evidence, e => e.Contains("no product's default", StringComparison.Ordinal) && e.Contains("timeout tunnel", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Watch_RelayWithMaximumAge_NamesLifetimeLimitDespitePings()
    {
        await using var echo = await KestrelEcho.StartAsync();
        await using var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, echo.Port), RelayFault.Lifetime, TimeSpan.FromSeconds(2));

        var (summary, events) = await Watching.RunAsync($"ws://127.0.0.1:{relay.Port}/", TimeSpan.FromSeconds(7.5), pingInterval: TimeSpan.FromMilliseconds(300));

        var why = Watching.Describe(summary, events);
        Assert.True(summary.DropCount >= 2, why);
        Assert.All(summary.Drops, d =>
        {
            Assert.Equal(Codes.SessionAbnormalClose, d.Code);
            Assert.InRange(d.AgeSeconds, 1.7, 2.8);
            Assert.True(d.SilentSeconds < 1, $"silent {d.SilentSeconds} s although pinging");
        });
        var pattern = Assert.Single(summary.Findings);
        Assert.Equal(Codes.SessionLifetimeLimit, pattern.Code);
        Assert.InRange((double)pattern.Data["period"]!, 1.7, 2.8);
        Assert.Contains("reconnect before", pattern.Fix, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Watch_RelayIdleFin_IdleTimeoutDisappearsWithPings()
    {
        await using var echo = await KestrelEcho.StartAsync();
        await using var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, echo.Port), RelayFault.IdleFin, TimeSpan.FromSeconds(1.5));

        var (silent, silentEvents) = await Watching.RunAsync($"ws://127.0.0.1:{relay.Port}/", TimeSpan.FromSeconds(4.5));
        var (pinging, pingingEvents) = await Watching.RunAsync($"ws://127.0.0.1:{relay.Port}/", TimeSpan.FromSeconds(3.5), pingInterval: TimeSpan.FromMilliseconds(400));

        Assert.True(silent.DropCount >= 2, Watching.Describe(silent, silentEvents));
        Assert.Equal(Codes.SessionIdleTimeout, Assert.Single(silent.Findings).Code);
        Assert.True(pinging.Healthy, Watching.Describe(pinging, pingingEvents));
    }

    [SkippableFact]
    public async Task Watch_RelayThatForgetsAndResets_DropIsNoPongOrReset()
    {
        await using var echo = await KestrelEcho.StartAsync();
        await using var relay = new MisbehavingRelay(new IPEndPoint(IPAddress.Loopback, echo.Port), RelayFault.ForgetThenReset, TimeSpan.FromSeconds(1));

        // Pings every 1.5 s: each comes after more than the relay's 1 s of silence, so the first one is answered with RST.
        var (summary, events) = await Watching.RunAsync($"ws://127.0.0.1:{relay.Port}/", TimeSpan.FromSeconds(4), pingInterval: TimeSpan.FromSeconds(1.5), maxDrops: 1);

        var drop = Assert.Single(summary.Drops);
        Assert.True(drop.Kind == DropKind.Reset, Watching.Describe(summary, events));
        Assert.Equal(Codes.SessionAbnormalClose, drop.Code);
    }
}
