using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.HostInfo;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Dns;

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

        ctx.Layer(Layer.Tcp, ctx.StatusOf(Layer.Tcp), chosen.Ms, $"connected to {ConnectAttempt.Format(chosen.EndPoint)}");
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
            evidence.Add("clients that try the refused address first fail, e.g. Node 17+: connect ECONNREFUSED " +
                ConnectAttempt.Format(failed[0].EndPoint));
            ctx.Add(Finding.Create(Codes.DnsLocalhostFamily,
                $"{target.Host} answers on {bound} but not on {missing}",
                evidence,
                $"Bind the server to both families (e.g. '::' dual-stack, or both 127.0.0.1 and ::1), or connect to " +
                $"{ConnectAttempt.Format(chosen.EndPoint)} explicitly instead of {target.Host}.",
                data));
        }
        else
        {
            ctx.Add(Finding.Create(Codes.DnsMultipleAddressesPartial,
                $"{failed.Length} of {attempts.Length} addresses of {target.Host} do not answer",
                evidence, data: data));
        }
    }

    private static void ReportFailure(DiagnosisContext ctx, ConnectTarget target, ConnectAttempt[] attempts)
    {
        var evidence = attempts.Select(a => a.Describe()).ToList();
        var maxMs = attempts.Max(a => a.Ms);
        string code;
        string message;
        string? fix = null;
        var data = new Dictionary<string, object?> { ["port"] = target.Port };
        if (attempts.All(a => a.Outcome == ConnectOutcome.Refused))
        {
            code = Codes.TcpRefused;
            message = $"nothing accepts connections on {target.Label}:{target.Port}";
            if (attempts.All(a => IPAddress.IsLoopback(a.EndPoint.Address)))
            {
                var (line, ports) = DescribeLocalListeners(target.Port, attempts);
                evidence.Add(line);
                data["listeningPorts"] = ports;
                message = $"nothing listens on port {target.Port}" + (target.Proxy is null ? "" : $" (the proxy from {target.Proxy.Source})") + (ports.Length > 0 ? $"; {ShortList(ports)} do" : "");
            }

            fix = target.Proxy is null
                ? $"Start the server, or point the URL at the port it listens on (check: ss -ltnp | grep {target.Port})."
                : $"Start the proxy, or correct {target.Proxy.Source} ({target.Proxy.Display}); if this host should not use a proxy, add it to NO_PROXY or pass --no-proxy.";
        }
        else if (attempts.Any(a => a.Outcome == ConnectOutcome.TimedOut))
        {
            code = Codes.TcpTimeout;
            message = $"{target.Label}:{target.Port} did not answer within {ctx.Options.StepTimeout.TotalSeconds:0.#} s";
            fix = $"Packets to port {target.Port} are dropped: open it in the firewall / cloud security group " +
                "(AWS security group, GCP firewall rule, Azure NSG) for your address, and check the host is up.";
        }
        else
        {
            code = Codes.TcpUnreachable;
            message = $"{target.Label}:{target.Port} is unreachable";
        }

        ctx.Add(Finding.Create(code, message, evidence, fix, data));
        ctx.Layer(Layer.Tcp, LayerStatus.Failed, maxMs, message);
    }

    private static (string Line, object[] Ports) DescribeLocalListeners(int port, ConnectAttempt[] attempts)
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
            ? $"nothing listens on loopback port {port}, and no other loopback port is listening either"
            : $"nothing listens on {port}; listening on loopback: {string.Join(", ", reachable.Select(Describe))}";
        if (otherFamily.Length > 0)
        {
            line += $"; port {port} is bound on {string.Join(", ", otherFamily)} only";
        }

        return (line, ports);
    }

    private static string Describe(Listener l) =>
        l.ProcessName is null ? l.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{l.Port} ({l.ProcessName}{(l.ProcessId is { } pid ? $" pid {pid}" : "")})";

    private static string ShortList(object[] ports) =>
        string.Join(", ", ports.Take(3).Cast<Dictionary<string, object?>>().Select(p =>
            p["process"] is string name ? $"{p["port"]} ({name})" : $"{p["port"]}"));
}
