using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

internal static class UrlDnsTcpScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return new("url-missing-scheme", Codes.UrlMissingScheme, T("URL without ws:// or wss://", "URL 没有 ws:// 或 wss://"),
            (env, _) => Task.FromResult(new LabInstance(env.Check("localhost:8080/chat"),
                Expect.DataEquals(Codes.UrlMissingScheme, "suggestedUrl", "ws://localhost:8080/chat"))));
        yield return new("url-http-scheme", Codes.UrlHttpScheme, T("https:// URL given to a WebSocket client", "把 https:// URL 交给了 WebSocket 客户端"),
            (env, _) => Task.FromResult(new LabInstance(env.Check("https://example.com/socket"),
                Expect.DataEquals(Codes.UrlHttpScheme, "suggestedUrl", "wss://example.com/socket"))));
        yield return new("url-fragment", Codes.UrlInvalid, T("fragment in a WebSocket URL", "WebSocket URL 里带有片段（#...）"),
            (env, _) => Task.FromResult(new LabInstance(env.Check("ws://127.0.0.1:9/chat#room1"),
                Expect.Mentions(Codes.UrlInvalid, "#room1"))));
        yield return new("url-token-in-query", Codes.UrlTokenInQuery, T("healthy endpoint, access token in the query string", "端点正常，但访问令牌放在查询字符串里"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws?room=1&access_token=s3cr3t-lab-token"),
                    Expect.All(Expect.DataContains(Codes.UrlTokenInQuery, "parameters", "access_token"), Expect.NowhereIn("s3cr3t-lab-token")), server);
            });
        yield return new("dns-not-found", Codes.DnsNotFound, T("host name that does not exist", "主机名不存在"),
            (env, _) => Task.FromResult(new LabInstance(env.Check("wss://no-such-host.invalid/ws"),
                Expect.DataEquals(Codes.DnsNotFound, "host", "no-such-host.invalid"))));
        yield return new("dns-localhost-ipv4-only", Codes.DnsLocalhostFamily, T("server bound to 127.0.0.1 only, client uses localhost (::1 refused)", "服务端只绑定 127.0.0.1，客户端用 localhost（::1 被拒绝）"),
            (env, _) =>
            {
                var server = RawServer.Start(FrameLoop.Upgrade((s, t) => FrameLoop.RunAsync(s, t)), IPAddress.Loopback);
                return Task.FromResult(new LabInstance(env.Check($"ws://localhost:{server.Port}/"),
                    Expect.DataContains(Codes.DnsLocalhostFamily, "failed", $"[::1]:{server.Port}"), server));
            });
        yield return new("dns-localhost-ipv6-only", Codes.DnsLocalhostFamily, T("server bound to ::1 only, client uses localhost (127.0.0.1 refused)", "服务端只绑定 ::1，客户端用 localhost（127.0.0.1 被拒绝）"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(address: IPAddress.IPv6Loopback, ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://localhost:{server.Port}/"),
                    Expect.DataContains(Codes.DnsLocalhostFamily, "failed", $"127.0.0.1:{server.Port}"), server);
            });
        yield return new("tcp-refused", Codes.TcpRefused, T("nothing listens on the port; another lab server does on a nearby one", "该端口没有服务监听；附近的端口上有另一个 lab 服务端"),
            (env, _) =>
            {
                var neighbour = RawServer.Start((s, t) => Task.CompletedTask);
                var port = FreePort();
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{port}/"), Expect.ListenerListed(neighbour.Port), neighbour));
            });
        yield return new("tcp-blackhole", Codes.TcpTimeout, T("SYNs dropped (listen queue full): the firewall case", "SYN 被丢弃（监听队列已满）：相当于防火墙丢包"),
            async (env, ct) =>
            {
                var hole = await Blackhole.StartAsync(ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{hole.Port}/"), Expect.Mentions(Codes.TcpTimeout, "no answer to SYN"), hole);
            });
    }

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
