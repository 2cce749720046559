using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Dns;
using Wsdoctor.Probes.Net;
using Wsdoctor.Protocol.Secrets;
using static Wsdoctor.Findings.Text;

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
            var noProxy = NoProxyValue(ctx);
            ctx.Add(Finding.Create(Codes.ProxyEnvDetected,
                T($"the connection goes through {Shown(ctx, proxy)}, from {proxy.Source}", $"连接经过代理 {Shown(ctx, proxy)}（来自 {proxy.Source}）"),
                [Verbatim($"{proxy.Source}={Shown(ctx, proxy)}"),
                 noProxy is null
                    ? T($"NO_PROXY=(not set) does not cover {ctx.Target.Host}", $"NO_PROXY=（未设置），不覆盖 {ctx.Target.Host}")
                    : T($"NO_PROXY={noProxy} does not cover {ctx.Target.Host}", $"NO_PROXY={noProxy} 不覆盖 {ctx.Target.Host}")],
                T($"If {ctx.Target.Host} should be reached directly, add it to NO_PROXY (NO_PROXY={ctx.Target.Host}) or pass --no-proxy.",
                  $"如果 {ctx.Target.Host} 应该直连，把它加入 NO_PROXY（NO_PROXY={ctx.Target.Host}）或传入 --no-proxy。"),
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
                T($"CONNECT {host}:{port} -> {tunnel.Head!.StatusCode} {tunnel.Head.Reason} from {Shown(ctx, proxy)}".TrimEnd(),
                  $"CONNECT {host}:{port} -> {tunnel.Head.StatusCode} {tunnel.Head.Reason}（来自 {Shown(ctx, proxy)}）"));
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
        var sentHead = FirstLines(ctx.Options.ShowSecrets ? request : SecretRedactor.RedactHead(request));
        var evidence = new List<Text>
        {
            T($"sent to {Shown(ctx, proxy)} ({proxy.Source}): " + sentHead, $"发送到 {Shown(ctx, proxy)}（{proxy.Source}）：{sentHead}"),
        };
        var data = new Dictionary<string, object?> { ["proxy"] = proxy.Display, ["source"] = proxy.Source, ["status"] = tunnel.StatusCode };
        Text message;
        Text? fix;
        if (tunnel.Head is { } head)
        {
            var statusLine = head.RawText.Split('\n')[0].TrimEnd('\r');
            evidence.Add(T($"proxy answered: {statusLine}", $"代理响应：{statusLine}"));
            foreach (var name in new[] { "Proxy-Authenticate", "Server", "Via", "X-Squid-Error" })
            {
                if (head.Get(name) is { } value)
                {
                    evidence.Add(Verbatim($"{name}: {value}"));
                }
            }

            (message, fix) = head.StatusCode switch
            {
                407 when proxy.User is null => (T($"the proxy wants credentials (407) for CONNECT {host}:{port}", $"代理要求为 CONNECT {host}:{port} 提供凭据（407）"),
                    T($"Give the proxy credentials: {CredentialsOption(proxy)}http://USER:PASS@{proxy.Host}:{proxy.Port}.",
                      $"提供代理凭据：{CredentialsOption(proxy)}http://USER:PASS@{proxy.Host}:{proxy.Port}。")),
                401 or 407 when proxy.User is not null => (T($"the proxy rejected the credentials of user '{proxy.User}' ({head.StatusCode})", $"代理拒绝了用户 '{proxy.User}' 的凭据（{head.StatusCode}）"),
                    T("Check the user name and password in the proxy URL (percent-encode special characters such as @ and :).",
                      "检查代理 URL 中的用户名和密码（@ 和 : 等特殊字符要做百分号编码）。")),
                403 or 405 => (T($"the proxy forbids CONNECT to {host}:{port} ({head.StatusCode})", $"代理禁止 CONNECT 到 {host}:{port}（{head.StatusCode}）"),
                    T($"The proxy's policy blocks tunnels to port {port}: ask for it to be allowed (squid: SSL_ports/Safe_ports and http_access; tinyproxy: ConnectPort {port}), or add {host} to NO_PROXY if it is reachable directly.",
                      $"代理的策略阻止了到端口 {port} 的隧道：请代理管理员放行（squid：SSL_ports/Safe_ports 和 http_access；tinyproxy：ConnectPort {port}），如果 {host} 可以直连，也可以把它加入 NO_PROXY。")),
                502 or 503 or 504 => (T($"the proxy could not reach {host}:{port} ({head.StatusCode})", $"代理连不上 {host}:{port}（{head.StatusCode}）"),
                    T($"The proxy itself cannot connect to {host}:{port}: check the name resolves and the port is open from the proxy's network.",
                      $"是代理自己连不上 {host}:{port}：检查从代理所在的网络能否解析这个名称、端口是否开放。")),
                _ => (T($"the proxy answered {head.StatusCode} to CONNECT {host}:{port}", $"代理对 CONNECT {host}:{port} 返回了 {head.StatusCode}"), (Text?)null),
            };
        }
        else
        {
            var error = tunnel.Error ?? T("no answer", "没有响应");
            evidence.Add(error);
            message = T($"the proxy did not open a tunnel to {host}:{port}: {tunnel.Error}", $"代理没有打开到 {host}:{port} 的隧道：{error}");
            fix = T($"{tcpTarget.Host}:{tcpTarget.Port} does not behave like an HTTP CONNECT proxy: check {proxy.Source}.",
                $"{tcpTarget.Host}:{tcpTarget.Port} 的行为不像 HTTP CONNECT 代理：检查 {proxy.Source}。");
        }

        ctx.Add(Finding.Create(Codes.ProxyConnectRefused, message, evidence, fix, data));
        ctx.Layer(Layer.Proxy, LayerStatus.Failed, tunnel.Ms, message);
    }

    private static string CredentialsOption(ProxyEndpoint proxy) => proxy.Source == "--proxy" ? "--proxy " : proxy.Source + "=";

    private static Text NoProxySummary(DiagnosisContext ctx)
    {
        if (ctx.Options.NoProxy)
        {
            return T("none (--no-proxy)", "无（--no-proxy）");
        }

        var secure = ctx.Target.IsSecure;
        foreach (var name in secure ? new[] { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" } : ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"])
        {
            if (ctx.Options.Environment(name) is { Length: > 0 })
            {
                var entry = ProxySelection.BypassEntry(ctx.Target.Uri, NoProxyValue(ctx));
                return T($"none: {name} is set, but NO_PROXY entry '{entry}' covers {ctx.Target.Host}", $"无：设置了 {name}，但 NO_PROXY 条目 '{entry}' 覆盖了 {ctx.Target.Host}");
            }
        }

        return T("none", "无");
    }

    private static string? NoProxyValue(DiagnosisContext ctx) =>
        ctx.Options.Environment("no_proxy") is { Length: > 0 } lower ? lower : ctx.Options.Environment("NO_PROXY");

    private static string Shown(DiagnosisContext ctx, ProxyEndpoint proxy) => ctx.Options.ShowSecrets ? proxy.DisplayWithSecrets : proxy.Display;

    private static string FirstLines(string head) =>
        string.Join(" | ", head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
}
