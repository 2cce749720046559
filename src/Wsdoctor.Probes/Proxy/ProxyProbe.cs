using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Dns;
using Wsdoctor.Probes.Net;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Probes.Proxy;

/// <summary>The proxy layer: which proxy the connection takes (--proxy, or the environment unless NO_PROXY says
/// otherwise) and whether it opens the CONNECT tunnel to the target.</summary>
internal static class ProxyProbe
{
    /// <summary>Picks the proxy before anything is sent, so dns and tcp aim at it.</summary>
    public static ProxyEndpoint? Choose(DiagnosisContext ctx)
    {
        var proxy = ProxySelection.For(ctx.Target.Uri, ctx.Options);
        if (proxy is null)
        {
            ctx.Layer(Layer.Proxy, LayerStatus.Skipped, null, NoProxySummary(ctx));
            return null;
        }

        if (proxy.Source != "--proxy")
        {
            ctx.Add(Finding.Create(Codes.ProxyEnvDetected,
                $"the connection goes through {Shown(ctx, proxy)}, from {proxy.Source}",
                [$"{proxy.Source}={Shown(ctx, proxy)}", $"NO_PROXY={NoProxyValue(ctx) ?? "(not set)"} does not cover {ctx.Target.Host}"],
                $"If {ctx.Target.Host} should be reached directly, add it to NO_PROXY (NO_PROXY={ctx.Target.Host}) or pass --no-proxy.",
                new Dictionary<string, object?> { ["proxy"] = proxy.Display, ["source"] = proxy.Source }));
        }

        return proxy;
    }

    /// <summary>Sends CONNECT for the target over the connection to the proxy; the returned stream is the tunnel.</summary>
    public static async Task<Stream?> RunAsync(DiagnosisContext ctx, Socket socket, ProxyEndpoint proxy, ConnectTarget tcpTarget)
    {
        var (host, port) = Destination(ctx);
        var stream = new NetworkStream(socket, ownsSocket: true);
        var tunnel = await HttpConnectTunnel.OpenAsync(stream, host, port, proxy, ctx.Options.StepTimeout, ctx.Deadline).ConfigureAwait(false);
        ctx.Timings = ctx.Timings with { ProxyMs = tunnel.Ms };
        ctx.Facts = ctx.Facts with { Proxy = Shown(ctx, proxy) };
        if (tunnel.Established)
        {
            ctx.Layer(Layer.Proxy, ctx.StatusOf(Layer.Proxy), tunnel.Ms,
                $"CONNECT {host}:{port} -> {tunnel.Head!.StatusCode} {tunnel.Head.Reason} from {Shown(ctx, proxy)}".TrimEnd());
            return stream;
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        Refused(ctx, proxy, host, port, tunnel, tcpTarget);
        return null;
    }

    /// <summary>CONNECT names what the proxy must reach: the URL's host and port, or --connect-to's (like curl).</summary>
    public static (string Host, int Port) Destination(DiagnosisContext ctx) =>
        ctx.Options.ConnectTo is { } connectTo && ConnectTarget.TryParse(connectTo, out var parsed)
            ? (parsed!.Host, parsed.Port)
            : (ctx.Target.Host.Trim('[', ']'), ctx.Target.Port);

    private static void Refused(DiagnosisContext ctx, ProxyEndpoint proxy, string host, int port, TunnelResult tunnel, ConnectTarget tcpTarget)
    {
        var request = HttpConnectTunnel.RequestHead(host, port, proxy);
        var evidence = new List<string>
        {
            $"sent to {Shown(ctx, proxy)} ({proxy.Source}): " + FirstLines(ctx.Options.ShowSecrets ? request : SecretRedactor.RedactHead(request)),
        };
        var data = new Dictionary<string, object?> { ["proxy"] = proxy.Display, ["source"] = proxy.Source, ["status"] = tunnel.StatusCode };
        string message;
        string? fix;
        if (tunnel.Head is { } head)
        {
            evidence.Add($"proxy answered: {head.RawText.Split('\n')[0].TrimEnd('\r')}");
            foreach (var name in new[] { "Proxy-Authenticate", "Server", "Via", "X-Squid-Error" })
            {
                if (head.Get(name) is { } value)
                {
                    evidence.Add($"{name}: {value}");
                }
            }

            (message, fix) = head.StatusCode switch
            {
                407 when proxy.User is null => ($"the proxy wants credentials (407) for CONNECT {host}:{port}",
                    $"Give the proxy credentials: {(proxy.Source == "--proxy" ? "--proxy " : proxy.Source + "=")}http://USER:PASS@{proxy.Host}:{proxy.Port}."),
                401 or 407 when proxy.User is not null => ($"the proxy rejected the credentials of user '{proxy.User}' ({head.StatusCode})",
                    "Check the user name and password in the proxy URL (percent-encode special characters such as @ and :)."),
                403 or 405 => ($"the proxy forbids CONNECT to {host}:{port} ({head.StatusCode})",
                    $"The proxy's policy blocks tunnels to port {port}: ask for it to be allowed (squid: SSL_ports/Safe_ports and http_access; tinyproxy: ConnectPort {port}), or add {host} to NO_PROXY if it is reachable directly."),
                502 or 503 or 504 => ($"the proxy could not reach {host}:{port} ({head.StatusCode})",
                    $"The proxy itself cannot connect to {host}:{port}: check the name resolves and the port is open from the proxy's network."),
                _ => ($"the proxy answered {head.StatusCode} to CONNECT {host}:{port}", null),
            };
        }
        else
        {
            evidence.Add(tunnel.Error ?? "no answer");
            message = $"the proxy did not open a tunnel to {host}:{port}: {tunnel.Error}";
            fix = $"{tcpTarget.Host}:{tcpTarget.Port} does not behave like an HTTP CONNECT proxy: check {proxy.Source}.";
        }

        ctx.Add(Finding.Create(Codes.ProxyConnectRefused, message, evidence, fix, data));
        ctx.Layer(Layer.Proxy, LayerStatus.Failed, tunnel.Ms, message);
    }

    private static string NoProxySummary(DiagnosisContext ctx)
    {
        if (ctx.Options.NoProxy)
        {
            return "none (--no-proxy)";
        }

        var secure = ctx.Target.IsSecure;
        foreach (var name in secure ? new[] { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" } : ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"])
        {
            if (ctx.Options.Environment(name) is { Length: > 0 })
            {
                var entry = ProxySelection.BypassEntry(ctx.Target.Uri, NoProxyValue(ctx));
                return $"none: {name} is set, but NO_PROXY entry '{entry}' covers {ctx.Target.Host}";
            }
        }

        return "none";
    }

    private static string? NoProxyValue(DiagnosisContext ctx) =>
        ctx.Options.Environment("no_proxy") is { Length: > 0 } lower ? lower : ctx.Options.Environment("NO_PROXY");

    private static string Shown(DiagnosisContext ctx, ProxyEndpoint proxy) => ctx.Options.ShowSecrets ? proxy.DisplayWithSecrets : proxy.Display;

    private static string FirstLines(string head) =>
        string.Join(" | ", head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
}
