using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Probes.Net;

/// <summary>Which proxy, if any, a connection to the target uses: --proxy first, then the environment the way curl
/// and most HTTP clients read it (lower-case names first; HTTPS_PROXY for wss://, HTTP_PROXY for ws://, then
/// ALL_PROXY), unless NO_PROXY lists the host.</summary>
public static class ProxySelection
{
    /// <exception cref="CheckUsageException">--proxy or the proxy variable is not a usable proxy URL.</exception>
    public static ProxyEndpoint? For(Uri target, CheckOptions options)
    {
        if (options.Proxy is { } explicitProxy)
        {
            return Parse(explicitProxy, "--proxy");
        }

        if (options.NoProxy)
        {
            return null;
        }

        var env = options.Environment;
        var secure = target.Scheme is "wss" or "https";
        string[] names = secure
            ? ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
            : ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];
        foreach (var name in names)
        {
            if (env(name) is { Length: > 0 } value)
            {
                var noProxy = env("no_proxy") is { Length: > 0 } lower ? lower : env("NO_PROXY");
                return Bypassed(target, noProxy) ? null : Parse(value, name);
            }
        }

        return null;
    }

    /// <summary>The NO_PROXY entry that matches the target, or null: <c>*</c>, a host name (also matching its
    /// subdomains; a leading dot or <c>*.</c> is allowed), an IP address, or a CIDR block, each optionally with
    /// <c>:port</c>.</summary>
    public static string? BypassEntry(Uri target, string? noProxy)
    {
        if (string.IsNullOrWhiteSpace(noProxy))
        {
            return null;
        }

        var host = target.Host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        IPAddress.TryParse(host, out var address);
        foreach (var raw in noProxy.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = raw.ToLowerInvariant();
            if (entry == "*")
            {
                return raw;
            }

            var (pattern, port) = SplitPort(entry);
            if (port is { } p && p != target.Port)
            {
                continue;
            }

            if (pattern.Contains('/', StringComparison.Ordinal))
            {
                if (address is not null && InCidr(address, pattern))
                {
                    return raw;
                }

                continue;
            }

            if (IPAddress.TryParse(pattern.Trim('[', ']'), out var literal))
            {
                if (address is not null && literal.Equals(address))
                {
                    return raw;
                }

                continue;
            }

            var domain = pattern.TrimStart('*').TrimStart('.').TrimEnd('.');
            if (domain.Length > 0 && (host == domain || host.EndsWith("." + domain, StringComparison.Ordinal)))
            {
                return raw;
            }
        }

        return null;
    }

    private static bool Bypassed(Uri target, string? noProxy) => BypassEntry(target, noProxy) is not null;

    private static ProxyEndpoint Parse(string value, string source) =>
        ProxyEndpoint.TryParse(value, source, out var proxy, out var error) ? proxy! : throw new CheckUsageException(error);

    private static (string Pattern, int? Port) SplitPort(string entry)
    {
        // "[::1]:8080", "host:8080", "10.0.0.0/8"; a bare IPv6 address has several colons and no port.
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close > 0 && close + 1 < entry.Length && entry[close + 1] == ':'
                && int.TryParse(entry.AsSpan(close + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v6Port))
            {
                return (entry[1..close], v6Port);
            }

            return (entry.Trim('[', ']'), null);
        }

        var colon = entry.LastIndexOf(':');
        if (colon > 0 && entry.IndexOf(':', StringComparison.Ordinal) == colon
            && int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (entry[..colon], port);
        }

        return (entry, null);
    }

    private static bool InCidr(IPAddress address, string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(cidr[..slash], out var network)
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && network.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        if (bits < 0 || bits > a.Length * 8)
        {
            return false;
        }

        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (n[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
