using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Dns;

/// <summary>Where the tcp layer will connect: the URL's host, or the --connect-to override.</summary>
public sealed record ConnectTarget(string Host, int Port, bool Overridden, Net.ProxyEndpoint? Proxy = null)
{
    /// <summary>How messages name this host: the proxy, when the connection goes through one.</summary>
    public Text Label => Proxy is null ? Verbatim(Host) : T($"the proxy {Host}", $"代理 {Host}");

    public bool IsLocalhost => Host.TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || Host.TrimEnd('.').EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, out ConnectTarget? target)
    {
        target = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var rawHost = text[..colon];
        var host = rawHost.Trim('[', ']');
        // An IPv6 host needs brackets; any other ':' means something else (e.g. curl's HOST:PORT:HOST:PORT form).
        if (host.Contains(':', StringComparison.Ordinal) && !(rawHost.StartsWith('[') && rawHost.EndsWith(']')))
        {
            return false;
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535 || host.Length == 0)
        {
            return false;
        }

        target = new ConnectTarget(host, port, true);
        return true;
    }
}

/// <summary>The dns layer.</summary>
internal static class DnsProbe
{
    /// <summary>Resolves where the tcp layer connects: the target (or --connect-to), or the proxy when there is one
    /// (the proxy resolves the target itself).</summary>
    public static async Task<(ConnectTarget Target, IReadOnlyList<IPAddress> Addresses)?> RunAsync(DiagnosisContext ctx, Net.ProxyEndpoint? proxy)
    {
        var target = proxy is not null ? new ConnectTarget(proxy.Host, proxy.Port, false, proxy)
            : ctx.Options.ConnectTo is { } connectTo && ConnectTarget.TryParse(connectTo, out var parsed) ? parsed!
            : new ConnectTarget(ctx.Target.Host.Trim('[', ']'), ctx.Target.Port, false);
        var via = target.Overridden ? T($" (--connect-to {target.Host}:{target.Port})", $"（--connect-to {target.Host}:{target.Port}）")
            : proxy is not null ? T($" (proxy from {proxy.Source})", $"（代理来自 {proxy.Source}）")
            : Text.Empty;

        if (IPAddress.TryParse(target.Host, out var literal))
        {
            ctx.Layer(Layer.Dns, LayerStatus.Skipped, null, T($"{target.Host} is an IP address{via}", $"{target.Host} 是 IP 地址{via}"));
            return (target, [literal]);
        }

        var start = Stopwatch.GetTimestamp();
        if (IsSpecialUse(target.Host, "invalid"))
        {
            // RFC 6761 6.4: resolvers SHOULD answer .invalid names negatively at once, without a query.
            NotFound(ctx, target, start, T("'.invalid' is reserved to never resolve (RFC 6761 6.4)", "'.invalid' 是保留的顶级域，永远不会解析（RFC 6761 6.4）"));
            return null;
        }

        IPAddress[] resolved;
        using (var step = ctx.Step())
        {
            try
            {
                // RFC 6761 6.3: names under .localhost are loopback; they are not sent to a DNS server.
                resolved = IsSpecialUse(target.Host, "localhost") && !target.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                    ? []
                    : await System.Net.Dns.GetHostAddressesAsync(target.Host, step.Token).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                NotFound(ctx, target, start, T($"resolver answered: {ex.SocketErrorCode} ({ex.Message})", $"解析器返回：{ex.SocketErrorCode}（{ex.Message}）"));
                return null;
            }
            catch (OperationCanceledException)
            {
                NotFound(ctx, target, start, T($"no answer from the resolver within {ctx.Options.StepTimeout.TotalSeconds:0.#} s", $"解析器在 {ctx.Options.StepTimeout.TotalSeconds:0.#} s 内没有响应"));
                return null;
            }
        }

        var ms = DiagnosisContext.Ms(start);
        ctx.Timings = ctx.Timings with { DnsMs = ms };
        var addresses = resolved.ToList();
        var note = Text.Empty;
        if (target.IsLocalhost)
        {
            // Browsers and Node >= 17 resolve localhost to both ::1 and 127.0.0.1 (RFC 6761 6.3) whatever
            // this machine's /etc/hosts says, so both families are tried here too.
            foreach (var loopback in new[] { IPAddress.IPv6Loopback, IPAddress.Loopback })
            {
                if (!addresses.Contains(loopback))
                {
                    addresses.Add(loopback);
                    note = T(" (+ the loopback address of the other family, as browsers and Node do)", "（另补上另一地址族的回环地址，与浏览器和 Node 的做法一致）");
                }
            }
        }

        var filtered = addresses.Where(a => ctx.Options.Family switch
        {
            AddressFamilyPreference.IPv4 => a.AddressFamily == AddressFamily.InterNetwork,
            AddressFamilyPreference.IPv6 => a.AddressFamily == AddressFamily.InterNetworkV6,
            _ => true,
        }).ToList();

        if (filtered.Count == 0)
        {
            var family = ctx.Options.Family == AddressFamilyPreference.IPv4 ? "IPv4 (-4)" : "IPv6 (-6)";
            NotFound(ctx, target, start, addresses.Count == 0
                ? T("the resolver returned no addresses", "解析器没有返回任何地址")
                : T($"no {family} address; resolved: {string.Join(", ", addresses)}", $"没有 {family} 地址；解析结果：{string.Join(", ", addresses)}"));
            return null;
        }

        ctx.Layer(Layer.Dns, LayerStatus.Passed, ms, T($"{target.Host}{via} -> {string.Join(", ", filtered)}{note}", $"{target.Host}{via} -> {string.Join(", ", filtered)}{note}"));
        return (target, filtered);
    }

    private static bool IsSpecialUse(string host, string label) =>
        host.TrimEnd('.').Equals(label, StringComparison.OrdinalIgnoreCase)
        || host.TrimEnd('.').EndsWith("." + label, StringComparison.OrdinalIgnoreCase);

    private static void NotFound(DiagnosisContext ctx, ConnectTarget target, long start, Text evidence)
    {
        ctx.Add(Finding.Create(Codes.DnsNotFound, T($"{target.Label} does not resolve", $"{target.Label} 无法解析"),
            [T($"name: {target.Host}", $"名称：{target.Host}"), evidence],
            T($"Check the spelling of '{target.Host}', its DNS record (dig {target.Host}; getent ahosts {target.Host}) and /etc/hosts.",
              $"检查 '{target.Host}' 的拼写、它的 DNS 记录（dig {target.Host}；getent ahosts {target.Host}）以及 /etc/hosts。"),
            new Dictionary<string, object?> { ["host"] = target.Host }));
        ctx.Layer(Layer.Dns, LayerStatus.Failed, DiagnosisContext.Ms(start), T($"{target.Host}: no address", $"{target.Host}：没有地址"));
    }
}
