using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.HostInfo;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Dns;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tcp;

/// <summary>The tcp layer. Every resolved address is tried at once, so an address that refuses or stays silent
/// is reported even when another one works (the localhost ::1 / 127.0.0.1 trap).</summary>
internal static class TcpProbe
{
    private const int MaxAddresses = 8;

    public static async Task<(Socket Socket, IPEndPoint EndPoint)?> RunAsync(
        DiagnosisContext ctx, ConnectTarget target, IReadOnlyList<IPAddress> addresses)
    {
        var endPoints = addresses.Take(MaxAddresses).Select(a => new IPEndPoint(a, target.Port)).ToArray();
        var attempts = await Task.WhenAll(endPoints.Select(ep => ConnectAttempt.RunAsync(ep, ctx.Options.StepTimeout, ctx.Deadline)))
            .ConfigureAwait(false);
        var chosen = attempts.FirstOrDefault(a => a.Outcome == ConnectOutcome.Connected);
        foreach (var other in attempts.Where(a => a != chosen))
        {
            other.Socket?.Dispose();
        }

        if (chosen is null)
        {
            ReportFailure(ctx, target, attempts);
            return null;
        }

        ctx.Timings = ctx.Timings with { ConnectMs = chosen.Ms };
        ctx.Facts = ctx.Facts with { RemoteEndpoint = ConnectAttempt.Format(chosen.EndPoint) };
        var failed = attempts.Where(a => a.Outcome != ConnectOutcome.Connected).ToArray();
        if (failed.Length > 0)
        {
            ReportPartial(ctx, target, attempts, chosen, failed);
        }

        ctx.Layer(Layer.Tcp, ctx.StatusOf(Layer.Tcp), chosen.Ms, T($"connected to {ConnectAttempt.Format(chosen.EndPoint)}", $"已连接到 {ConnectAttempt.Format(chosen.EndPoint)}"));
        return (chosen.Socket!, chosen.EndPoint);
    }

    private static void ReportPartial(DiagnosisContext ctx, ConnectTarget target, ConnectAttempt[] attempts, ConnectAttempt chosen, ConnectAttempt[] failed)
    {
        var evidence = attempts.Select(a => a.Describe()).ToList();
        var data = new Dictionary<string, object?>
        {
            ["answered"] = attempts.Where(a => a.Outcome == ConnectOutcome.Connected).Select(a => ConnectAttempt.Format(a.EndPoint)).ToArray(),
            ["failed"] = failed.Select(a => ConnectAttempt.Format(a.EndPoint)).ToArray(),
        };
        if (target.IsLocalhost)
        {
            var bound = chosen.EndPoint.Address.ToString();
            var missing = string.Join(", ", failed.Select(f => f.EndPoint.Address));
            var refused = ConnectAttempt.Format(failed[0].EndPoint);
            var answering = ConnectAttempt.Format(chosen.EndPoint);
            evidence.Add(T("clients that try the refused address first fail, e.g. Node 17+: connect ECONNREFUSED " + refused,
                $"先尝试拒绝连接的那个地址的客户端会失败，例如 Node 17+：connect ECONNREFUSED {refused}"));
            ctx.Add(Finding.Create(Codes.DnsLocalhostFamily,
                T($"{target.Host} answers on {bound} but not on {missing}", $"{target.Host} 在 {bound} 上有响应，在 {missing} 上没有"),
                evidence,
                T($"Bind the server to both families (e.g. '::' dual-stack, or both 127.0.0.1 and ::1), or connect to " +
                  $"{answering} explicitly instead of {target.Host}.",
                  $"让服务端同时绑定两个地址族（例如 '::' 双栈，或同时绑定 127.0.0.1 和 ::1），或者显式连接 {answering}，而不是 {target.Host}。"),
                data));
        }
        else
        {
            ctx.Add(Finding.Create(Codes.DnsMultipleAddressesPartial,
                T($"{failed.Length} of {attempts.Length} addresses of {target.Host} do not answer", $"{target.Host} 的 {attempts.Length} 个地址中有 {failed.Length} 个没有响应"),
                evidence, data: data));
        }
    }

    private static void ReportFailure(DiagnosisContext ctx, ConnectTarget target, ConnectAttempt[] attempts)
    {
        var evidence = attempts.Select(a => a.Describe()).ToList();
        var maxMs = attempts.Max(a => a.Ms);
        string code;
        Text message;
        Text? fix = null;
        var data = new Dictionary<string, object?> { ["port"] = target.Port };
        if (attempts.All(a => a.Outcome == ConnectOutcome.Refused))
        {
            code = Codes.TcpRefused;
            message = T($"nothing accepts connections on {target.Label}:{target.Port}", $"{target.Label}:{target.Port} 上没有程序接受连接");
            if (attempts.All(a => IPAddress.IsLoopback(a.EndPoint.Address)))
            {
                var (line, ports) = DescribeLocalListeners(target.Port, attempts);
                evidence.Add(line);
                data["listeningPorts"] = ports;
                message = T($"nothing listens on port {target.Port}", $"端口 {target.Port} 上没有程序在监听")
                    + (target.Proxy is null ? Text.Empty : T($" (the proxy from {target.Proxy.Source})", $"（来自 {target.Proxy.Source} 的代理）"))
                    + (ports.Length > 0 ? T($"; {ShortList(ports)} do", $"；正在监听的是 {ShortList(ports)}") : Text.Empty);
            }

            fix = target.Proxy is null
                ? T($"Start the server, or point the URL at the port it listens on (check: ss -ltnp | grep {target.Port}).",
                    $"启动服务端，或把 URL 指向它实际监听的端口（检查：ss -ltnp | grep {target.Port}）。")
                : T($"Start the proxy, or correct {target.Proxy.Source} ({target.Proxy.Display}); if this host should not use a proxy, add it to NO_PROXY or pass --no-proxy.",
                    $"启动代理，或修正 {target.Proxy.Source}（{target.Proxy.Display}）；如果这个主机不该走代理，把它加入 NO_PROXY 或传入 --no-proxy。");
        }
        else if (attempts.Any(a => a.Outcome == ConnectOutcome.TimedOut))
        {
            code = Codes.TcpTimeout;
            message = T($"{target.Label}:{target.Port} did not answer within {ctx.Options.StepTimeout.TotalSeconds:0.#} s",
                $"{target.Label}:{target.Port} 在 {ctx.Options.StepTimeout.TotalSeconds:0.#} s 内没有响应");
            fix = T($"Packets to port {target.Port} are dropped: open it in the firewall / cloud security group " +
                "(AWS security group, GCP firewall rule, Azure NSG) for your address, and check the host is up.",
                $"发往端口 {target.Port} 的数据包被丢弃了：在防火墙或云安全组（AWS 安全组、GCP 防火墙规则、Azure NSG）中对你的地址放行该端口，并确认主机在运行。");
        }
        else
        {
            code = Codes.TcpUnreachable;
            message = T($"{target.Label}:{target.Port} is unreachable", $"{target.Label}:{target.Port} 不可达");
        }

        ctx.Add(Finding.Create(code, message, evidence, fix, data));
        ctx.Layer(Layer.Tcp, LayerStatus.Failed, maxMs, message);
    }

    private static (Text Line, object[] Ports) DescribeLocalListeners(int port, ConnectAttempt[] attempts)
    {
        var all = LocalListeners.Snapshot();
        var reachable = attempts
            .SelectMany(a => LocalListeners.ReachableOnLoopback(all, a.EndPoint.AddressFamily == AddressFamily.InterNetworkV6))
            .GroupBy(l => l.Port)
            .OrderBy(g => Math.Abs(g.Key - port))
            .Take(10)
            .Select(g => g.First())
            .ToArray();
        var otherFamily = all.Where(l => l.Port == port).Select(l => l.Address.ToString()).Distinct().ToArray();
        var ports = reachable.Select(l => (object)new Dictionary<string, object?>
        {
            ["port"] = l.Port,
            ["process"] = l.ProcessName,
            ["pid"] = l.ProcessId,
        }).ToArray();
        var line = reachable.Length == 0
            ? T($"nothing listens on loopback port {port}, and no other loopback port is listening either", $"回环端口 {port} 上没有程序在监听，其他回环端口也没有")
            : T($"nothing listens on {port}; listening on loopback: {string.Join(", ", reachable.Select(Describe))}",
                $"端口 {port} 上没有程序在监听；回环地址上正在监听的端口有：{Text.Join(T(", ", "、"), reachable.Select(Describe))}");
        if (otherFamily.Length > 0)
        {
            line += T($"; port {port} is bound on {string.Join(", ", otherFamily)} only", $"；端口 {port} 只绑定在 {string.Join(", ", otherFamily)} 上");
        }

        return (line, ports);
    }

    private static Text Describe(Listener l)
    {
        if (l.ProcessName is null)
        {
            return Verbatim(l.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var process = $"{l.ProcessName}{(l.ProcessId is { } pid ? $" pid {pid}" : "")}";
        return T($"{l.Port} ({process})", $"{l.Port}（{process}）");
    }

    private static Text ShortList(object[] ports) =>
        Text.Join(T(", ", "、"), ports.Take(3).Cast<Dictionary<string, object?>>().Select(p =>
            p["process"] is string name ? T($"{p["port"]} ({name})", $"{p["port"]}（{name}）") : Verbatim($"{p["port"]}")));
}
