using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;

namespace Wsdoctor.Lab.Scenarios;

internal static class UrlDnsTcpScenarios
{
    public static IEnumerable<LabScenario> All()
    {
        yield return new("url-missing-scheme", Codes.UrlMissingScheme, "URL without ws:// or wss://",
            (env, _) => Task.FromResult(new LabInstance(env.Check("localhost:8080/chat"),
                Expect.DataEquals(Codes.UrlMissingScheme, "suggestedUrl", "ws://localhost:8080/chat"))));
        yield return new("url-http-scheme", Codes.UrlHttpScheme, "https:// URL given to a WebSocket client",
            (env, _) => Task.FromResult(new LabInstance(env.Check("https://example.com/socket"),
                Expect.DataEquals(Codes.UrlHttpScheme, "suggestedUrl", "wss://example.com/socket"))));
        yield return new("url-fragment", Codes.UrlInvalid, "fragment in a WebSocket URL",
            (env, _) => Task.FromResult(new LabInstance(env.Check("ws://127.0.0.1:9/chat#room1"),
                Expect.Mentions(Codes.UrlInvalid, "#room1"))));
        yield return new("url-token-in-query", Codes.UrlTokenInQuery, "healthy endpoint, access token in the query string",
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://127.0.0.1:{server.Port}/ws?room=1&access_token=s3cr3t-lab-token"),
                    Expect.All(Expect.DataContains(Codes.UrlTokenInQuery, "parameters", "access_token"), Expect.NowhereIn("s3cr3t-lab-token")), server);
            });
        yield return new("dns-not-found", Codes.DnsNotFound, "host name that does not exist",
            (env, _) => Task.FromResult(new LabInstance(env.Check("wss://no-such-host.invalid/ws"),
                Expect.DataEquals(Codes.DnsNotFound, "host", "no-such-host.invalid"))));
        yield return new("dns-localhost-ipv4-only", Codes.DnsLocalhostFamily, "server bound to 127.0.0.1 only, client uses localhost (::1 refused)",
            (env, _) =>
            {
                var server = RawServer.Start(FrameLoop.Upgrade((s, t) => FrameLoop.RunAsync(s, t)), IPAddress.Loopback);
                return Task.FromResult(new LabInstance(env.Check($"ws://localhost:{server.Port}/"),
                    Expect.DataContains(Codes.DnsLocalhostFamily, "failed", $"[::1]:{server.Port}"), server));
            });
        yield return new("dns-localhost-ipv6-only", Codes.DnsLocalhostFamily, "server bound to ::1 only, client uses localhost (127.0.0.1 refused)",
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(address: IPAddress.IPv6Loopback, ct: ct).ConfigureAwait(false);
                return new LabInstance(env.Check($"ws://localhost:{server.Port}/"),
                    Expect.DataContains(Codes.DnsLocalhostFamily, "failed", $"127.0.0.1:{server.Port}"), server);
            });
        yield return new("tcp-refused", Codes.TcpRefused, "nothing listens on the port; another lab server does on a nearby one",
            (env, _) =>
            {
                var neighbour = RawServer.Start((s, t) => Task.CompletedTask);
                var port = FreePort();
                return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{port}/"), Expect.ListenerListed(neighbour.Port), neighbour));
            });
        yield return new("tcp-blackhole", Codes.TcpTimeout, "SYNs dropped (listen queue full): the firewall case",
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
