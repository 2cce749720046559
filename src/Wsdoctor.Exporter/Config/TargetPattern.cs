using System.Globalization;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Exporter.Config;

/// <summary>One entry of the exporter's target allowlist (<c>--allow-target</c>, <c>allow_targets:</c>):
/// <c>[ws://|wss://]HOST[:PORT][/PATH]</c>. HOST is a name (matched without regard to case), <c>*.example.com</c> (any
/// name below example.com, not example.com itself), an IPv4 literal, a bracketed IPv6 literal, or <c>*</c> (any host,
/// an explicit opt-out). Without a scheme both match, without a port any port, and a path matches itself and what lies
/// below it (<c>/ws</c> matches <c>/ws</c> and <c>/ws/chat</c>, not <c>/wsx</c>).</summary>
public sealed record TargetPattern(string Text, string? Scheme, string Host, int? Port, string? Path)
{
    /// <returns>The pattern, or a one-line error naming what is wrong with it.</returns>
    public static (TargetPattern? Pattern, Findings.Text? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.Trim();
        string? scheme = null;
        var separator = rest.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            scheme = rest[..separator].ToLowerInvariant();
            if (scheme is not ("ws" or "wss"))
            {
                return (null, T($"target pattern '{text}': the scheme can only be ws:// or wss://", $"目标模式“{text}”：协议只能是 ws:// 或 wss://"));
            }

            rest = rest[(separator + 3)..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var path = slash >= 0 ? rest[slash..] : null;
        var authority = slash >= 0 ? rest[..slash] : rest;
        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return (null, T($"target pattern '{text}': '[' without ']'", $"目标模式“{text}”：有“[”却没有“]”"));
            }

            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    return (null, T($"target pattern '{text}': only :PORT may follow ']'", $"目标模式“{text}”：“]”后面只能跟 :PORT"));
                }

                portText = authority[(close + 2)..];
            }

            if (!System.Net.IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return (null, T($"target pattern '{text}': '[{host}]' is not an IPv6 address", $"目标模式“{text}”：“[{host}]”不是 IPv6 地址"));
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
            portText = colon >= 0 ? authority[(colon + 1)..] : null;
            if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_'))
            {
                return (null, T($"target pattern '{text}': '{host}' is not a host name, an IP address, *.domain or *", $"目标模式“{text}”：“{host}”不是主机名、IP 地址、*.domain 或 *"));
            }

            if (host.Contains('*', StringComparison.Ordinal) && host != "*" && (!host.StartsWith("*.", StringComparison.Ordinal) || host.IndexOf('*', 1) >= 0 || host.Length < 3))
            {
                return (null, T($"target pattern '{text}': '*' may only be the whole host or the first label (*.example.com)", $"目标模式“{text}”：“*”只能是整个主机或第一个标签（*.example.com）"));
            }
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                return (null, T($"target pattern '{text}': port '{portText}' is not a number from 1 to 65535", $"目标模式“{text}”：端口“{portText}”不是 1 到 65535 之间的数字"));
            }

            port = p;
        }

        return (new TargetPattern(text, scheme, host.ToLowerInvariant(), port, path is null or "/" ? null : path.TrimEnd('/')), null);
    }

    public bool Matches(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Scheme is not null && !string.Equals(Scheme, target.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Port is { } port && port != target.Port)
        {
            return false;
        }

        var host = target.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        var hostMatches = Host == "*"
            || (Host.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(Host[1..], StringComparison.Ordinal) : host == NormalizedHost);
        if (!hostMatches)
        {
            return false;
        }

        var targetPath = target.AbsolutePath;
        return Path is null || targetPath == Path || targetPath.StartsWith(Path + "/", StringComparison.Ordinal);
    }

    /// <summary>IPv6 literals compare in their canonical form (::1 and 0:0:0:0:0:0:0:1 are one address).</summary>
    private string NormalizedHost =>
        System.Net.IPAddress.TryParse(Host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.ToString()
            : Host;
}
