using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Probes.Tests.ReverseProxies;

/// <summary>Each real proxy that runs here, healthy and misconfigured in its most common way, diagnosed by check:
/// the broken one must be named, with its own directive in the fix.</summary>
public class RealProxyTests
{
    private static CheckOptions Options(string url) => new() { Url = url, StepTimeout = TimeSpan.FromSeconds(3), Environment = static _ => null };

    private static string Show(CheckReport report) =>
        $"{report.Verdict} {report.RootCause?.Code}: {report.RootCause?.Message}\n{string.Join("\n", report.RootCause?.Evidence ?? [])}\nfix: {report.RootCause?.Fix}";

    [SkippableFact]
    public async Task Lighttpd_WithoutUpgradeHeader_NamedWithProxyHeaderFix_AndHealthyWithIt()
    {
        // wsdoctor serve sends no Server header, so lighttpd's own shows (a backend's Server header would pass
        // through and hide lighttpd: then the finding says "proxy unknown", which is what the evidence supports).
        await using var serve = await ServeProcess.StartAsync([]);
        var backend = new { serve.Url.Port };
        using var lighttpd = await ProxyPeer.LighttpdAsync($$"""
            $HTTP["url"] =~ "^/ws/" {
              proxy.server = ( "" => ( ( "host" => "127.0.0.1", "port" => {{backend.Port}} ) ) )
              proxy.header = ( "upgrade" => "enable", "map-urlpath" => ( "/ws/" => "/" ) )
            }
            $HTTP["url"] =~ "^/plain/" {
              proxy.server = ( "" => ( ( "host" => "127.0.0.1", "port" => {{backend.Port}} ) ) )
              proxy.header = ( "map-urlpath" => ( "/plain/" => "/" ) )
            }
            """);

        var broken = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{lighttpd.Port}/plain/"));
        var healthy = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{lighttpd.Port}/ws/"));

        Assert.True(broken.RootCause?.Code == Codes.HttpProxyDropsUpgrade, Show(broken));
        Assert.Equal("lighttpd", broken.RootCause!.Data["proxy"]);
        Assert.Contains("proxy.header = ( \"upgrade\" => \"enable\" )", broken.RootCause.Fix);
        Assert.True(healthy.Verdict == Verdict.Ok, Show(healthy));
    }

    [SkippableFact]
    public async Task Apache_WsUrlWithoutTheModule_Ah01144NamedWithModuleFix_AndHealthyWithUpgrade()
    {
        await using var backend = await KestrelEcho.StartAsync();
        // ws:// needs mod_proxy_http (2.4.47+) or mod_proxy_wstunnel; with neither loaded Apache answers 500 AH01144.
        using var withoutModule = await ProxyPeer.ApacheAsync($"ProxyPass /ws ws://127.0.0.1:{backend.Port}/ws", proxyHttp: false, wstunnel: false);
        using var apache = await ProxyPeer.ApacheAsync($"ProxyPass /ws http://127.0.0.1:{backend.Port}/ws upgrade=websocket", wstunnel: false);

        var broken = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{withoutModule.Port}/ws"));
        var healthy = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{apache.Port}/ws"));

        Assert.True(broken.RootCause?.Code == Codes.HttpProxyDropsUpgrade, Show(broken));
        Assert.Equal("apache", broken.RootCause!.Data["proxy"]);
        Assert.Contains(broken.RootCause.Evidence, e => e.Contains("AH01144", StringComparison.Ordinal));
        Assert.Contains("mod_proxy_wstunnel", broken.RootCause.Fix);
        Assert.Contains("upgrade=websocket", broken.RootCause.Fix);
        Assert.True(healthy.Verdict == Verdict.Ok, Show(healthy));
    }

    [SkippableFact]
    public async Task Nginx_PlainProxyPass_NamedWithVersionAwareFix_AndHealthyWithTheDirectives()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var nginx = await ProxyPeer.NginxAsync($$"""
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            server {
                listen 127.0.0.1:PORT;
                location /plain { proxy_pass http://127.0.0.1:{{backend.Port}}/ws; }
                location /ws {
                    proxy_pass http://127.0.0.1:{{backend.Port}}/ws;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                }
            }
            """);

        var broken = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{nginx.Port}/plain"));
        var healthy = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{nginx.Port}/ws"));

        // Kestrel answers a request that lost its Upgrade header with 426 (or 400 for HTTP/1.0): through nginx.
        Assert.True(broken.RootCause?.Code == Codes.HttpProxyDropsUpgrade, Show(broken));
        Assert.Equal("nginx", broken.RootCause!.Data["proxy"]);
        // Debian's nginx 1.22 still talks HTTP/1.0 upstream by default.
        Assert.Contains("proxy_http_version 1.1;", broken.RootCause.Fix);
        Assert.True(healthy.Verdict == Verdict.Ok, Show(healthy));
        Assert.StartsWith("nginx", healthy.Connection.Intermediary);
    }

    [SkippableFact]
    public async Task Haproxy_BackendDown_UpstreamErrorNamesHaproxyAndItsHealthChecks()
    {
        using var haproxy = await ProxyPeer.HaproxyAsync($"""
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:PORT
                default_backend be
            backend be
                server s1 127.0.0.1:{Peers.FreePort()} check
            """);

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{haproxy.Port}/ws"));

        Assert.True(report.RootCause?.Code == Codes.HttpUpstreamError, Show(report));
        Assert.Equal("haproxy", report.RootCause!.Data["proxy"]);
        Assert.Contains("HAProxy", report.RootCause.Message);
        Assert.Contains("show servers state", report.RootCause.Fix);
    }

    [SkippableFact]
    public async Task Haproxy_Healthy_ProxiesTheWebSocket()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var haproxy = await ProxyPeer.HaproxyAsync($"""
            defaults
                mode http
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout tunnel 1h
            frontend fe
                bind 127.0.0.1:PORT
                default_backend be
            backend be
                server s1 127.0.0.1:{backend.Port}
            """);

        var report = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{haproxy.Port}/ws") with { Send = "hello", Expect = "^hello$" });

        Assert.True(report.Verdict == Verdict.Ok, Show(report));
    }

    [SkippableFact]
    public async Task Caddy_PathAnsweredByARespondDirective_NotUpgradedNamesCaddy_AndHealthyReverseProxy()
    {
        await using var backend = await KestrelEcho.StartAsync();
        using var caddy = await ProxyPeer.CaddyAsync($"""
                handle /ws* {"{"}
                    reverse_proxy 127.0.0.1:{backend.Port}
                {"}"}
                handle {"{"}
                    respond "the app" 200
                {"}"}
            """);

        var broken = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{caddy.Port}/chat"));
        var healthy = await CheckRunner.RunAsync(Options($"ws://127.0.0.1:{caddy.Port}/ws"));

        Assert.True(broken.RootCause?.Code == Codes.HttpNotUpgraded, Show(broken));
        Assert.Equal("caddy", broken.RootCause!.Data["proxy"]);
        Assert.Contains("Caddy", broken.RootCause.Message);
        Assert.True(healthy.Verdict == Verdict.Ok, Show(healthy));
    }
}
