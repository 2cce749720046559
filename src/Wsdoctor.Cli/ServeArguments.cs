using System.Globalization;
using System.Net;
using Wsdoctor.Server.Hosting;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>Parses serve's address and size arguments; every mistake is a one-line UsageException.</summary>
public static class ServeArguments
{
    /// <summary><c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, or <c>localhost:8080</c> (both loopback families).</summary>
    private static int pairs;

    public static IReadOnlyList<ListenEndpoint> ParseListen(string text, string option)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new UsageException(T($"{option} takes ADDR:PORT such as 127.0.0.1:8080, [::1]:8080 or localhost:8080 (got '{text}')", $"{option} 的取值是 ADDR:PORT，例如 127.0.0.1:8080、[::1]:8080 或 localhost:8080（收到的是“{text}”）"));
        }

        var host = text[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Interlocked.Increment(ref pairs);
            return [new ListenEndpoint(IPAddress.Loopback, port) { LocalhostPair = pair }, new ListenEndpoint(IPAddress.IPv6Loopback, port) { LocalhostPair = pair }];
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            throw new UsageException(T($"{option}: write IPv6 addresses in brackets, e.g. [::1]:{port} (got '{text}')", $"{option}：IPv6 地址要写在方括号里，例如 [::1]:{port}（收到的是“{text}”）"));
        }

        // IP literals only: resolving a name here could pick an address the user did not mean.
        if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Split('.').Length != 4))
        {
            throw new UsageException(T($"{option}: '{host}' is not an IP address or localhost (got '{text}')", $"{option}：“{host}”既不是 IP 地址，也不是 localhost（收到的是“{text}”）"));
        }

        return [new ListenEndpoint(address, port)];
    }

    /// <summary>Bytes, or with a k/m/g suffix (powers of 1024): 65536, 64k, 16m.</summary>
    public static long ParseSize(string text, string option)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, scale) = t.EndsWith("kib", StringComparison.Ordinal) ? (t[..^3], 1024L)
            : t.EndsWith("mib", StringComparison.Ordinal) ? (t[..^3], 1024L * 1024)
            : t.EndsWith('k') ? (t[..^1], 1024L)
            : t.EndsWith('m') ? (t[..^1], 1024L * 1024)
            : t.EndsWith('g') ? (t[..^1], 1024L * 1024 * 1024)
            : (t, 1L);
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > (long)int.MaxValue / scale)
        {
            throw new UsageException(T($"{option} takes a size in bytes such as 65536, 64k or 16m, at most 2 GiB (got '{text}')", $"{option} 的取值是字节数，例如 65536、64k 或 16m，最大 2 GiB（收到的是“{text}”）"));
        }

        return value * scale;
    }
}
