using System.Net;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Browser.Rules;

/// <summary>"Is origin potentially trustworthy?" (W3C Secure Contexts, section 3.1), as Chromium
/// (network::IsUrlPotentiallyTrustworthy) and Firefox (nsMixedContentBlocker::IsPotentiallyTrustworthyOrigin) apply
/// it: secure schemes, the loopback addresses, and localhost names ("let localhost be localhost"). A name that merely
/// resolves to a loopback or private address does not count: browsers decide on the URL, not on DNS.</summary>
public static class Trustworthiness
{
    /// <summary>Null when the URL is not potentially trustworthy; otherwise why it is.</summary>
    public static Text? Reason(string scheme, string host)
    {
        if (scheme is "https" or "wss")
        {
            return T($"{scheme}:// is a secure scheme", $"{scheme}:// 是安全的 scheme");
        }

        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var ip))
        {
            if (ip.IsIPv4MappedToIPv6)
            {
                // Chromium (net::IPAddress::IsLoopback) looks at the literal: ::ffff:127.0.0.1 is not in ::1/128.
                return null;
            }

            return IPAddress.IsLoopback(ip) ? T($"{bare} is a loopback address (127.0.0.0/8, ::1)", $"{bare} 是回环地址（127.0.0.0/8、::1）") : null;
        }

        var name = bare.TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return T($"{bare} is a localhost name (browsers resolve localhost and *.localhost to loopback themselves)", $"{bare} 是 localhost 名称（浏览器自己会把 localhost 和 *.localhost 解析为回环地址）");
        }

        return null;
    }

    public static bool IsPotentiallyTrustworthy(string scheme, string host) => Reason(scheme, host) is not null;

    public static bool IsPotentiallyTrustworthy(PageOrigin origin) => Reason(origin.Scheme, origin.Host) is not null;
}
