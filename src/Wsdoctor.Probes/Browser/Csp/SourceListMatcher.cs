using System.Globalization;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Probes.Browser.Csp;

/// <summary>CSP3 "Does url match source list in origin with redirect count?" (sections 6.7.2.7 to 6.7.2.12) for a
/// WebSocket URL, as Chromium 156 and Firefox 153 apply it: they match the ws:// or wss:// URL itself (not the
/// http(s) URL the WebSocket standard fetches), so `http://host` and `https:` do not allow ws:// or wss://, `ws:`
/// allows both, and `'self'` on an https page allows wss:// to its own host but not ws://. One deviation from the
/// standard, also the browsers': `*` allows ws:// and wss:// URLs. The browser tests check these rules against
/// both browsers.</summary>
public static class SourceListMatcher
{
    public static bool Matches(Uri webSocketUrl, IReadOnlyList<string> sources, PageOrigin self) =>
        MatchingExpression(webSocketUrl, sources, self) is not null;

    /// <summary>The first source expression that allows the URL, or null when none does.</summary>
    public static string? MatchingExpression(Uri webSocketUrl, IReadOnlyList<string> sources, PageOrigin self)
    {
        if (sources.Count == 0 || (sources.Count == 1 && sources[0].Equals("'none'", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var url = RequestUrl.Of(webSocketUrl);
        return sources.FirstOrDefault(expression => MatchesExpression(url, expression, self));
    }

    private static bool MatchesExpression(RequestUrl url, string expression, PageOrigin self)
    {
        if (expression == "*")
        {
            // The standard says HTTP(S) URLs or the page's own scheme; Chromium and Firefox also let ws/wss through.
            return url.Scheme is "http" or "https" or "ws" or "wss" || url.Scheme == self.Scheme;
        }

        if (expression.Equals("'self'", StringComparison.OrdinalIgnoreCase))
        {
            return MatchesSelf(url, self);
        }

        if (expression.StartsWith('\''))
        {
            // 'none' among others, 'unsafe-inline', nonces, hashes: they never allow a URL.
            return false;
        }

        if (SourceExpression.TryParse(expression, out var source))
        {
            if (source.Scheme is { } scheme && !SchemePartMatches(scheme, url.Scheme))
            {
                return false;
            }

            if (source.Host is null)
            {
                return true;
            }

            if (source.Scheme is null && !SchemePartMatches(self.Scheme, url.Scheme))
            {
                return false;
            }

            return HostPartMatches(source.Host, url.Host)
                && PortPartMatches(source.Port, url)
                && (source.Path is not { Length: > 0 } path || PathPartMatches(path, url.Path));
        }

        return false;
    }

    /// <summary>CSP3 6.7.2.8 step 4.</summary>
    private static bool MatchesSelf(RequestUrl url, PageOrigin self)
    {
        var selfDefault = self.Port == self.DefaultPort;
        if (url.Scheme == self.Scheme && url.Host == self.Host && url.EffectivePort == self.Port)
        {
            return true;
        }

        var portsAgree = url.EffectivePort == self.Port || (url.PortIsDefault && selfDefault);
        return url.Host == self.Host && portsAgree && (url.Scheme is "https" or "wss" || (self.Scheme == "http" && url.Scheme is "http" or "ws"));
    }

    /// <summary>CSP3 6.7.2.9: an insecure scheme in the policy also allows its secure upgrade.</summary>
    public static bool SchemePartMatches(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        return a == b
            || (a == "http" && b == "https")
            || (a == "ws" && b is "wss" or "http" or "https")
            || (a == "wss" && b == "https");
    }

    /// <summary>CSP3 6.7.2.10. The standard says an IP address never matches; Chromium and Firefox do match an IP
    /// literal written out exactly, so wsdoctor follows the browsers.</summary>
    private static bool HostPartMatches(string pattern, string host)
    {
        pattern = pattern.ToLowerInvariant();
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return !IsIpLiteral(host) && host.EndsWith(pattern[1..], StringComparison.Ordinal);
        }

        return pattern.TrimEnd('.') == host.TrimEnd('.');
    }

    private static bool IsIpLiteral(string host) => System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _);

    /// <summary>CSP3 6.7.2.11.</summary>
    private static bool PortPartMatches(string? port, RequestUrl url)
    {
        if (port == "*")
        {
            return true;
        }

        int? wanted = null;
        if (port is not null)
        {
            // port-part is 1*DIGIT: a number past any port (the grammar allows it) matches no URL.
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > 65535)
            {
                return false;
            }

            wanted = parsed;
        }

        if (wanted == url.ExplicitPort)
        {
            return true;
        }

        return url.ExplicitPort is null && wanted == url.DefaultPort;
    }

    /// <summary>CSP3 6.7.2.12.</summary>
    private static bool PathPartMatches(string pathA, string pathB)
    {
        if (pathA.Length == 0 || (pathA == "/" && pathB.Length == 0))
        {
            return true;
        }

        var exact = !pathA.EndsWith('/');
        var listA = pathA.Split('/').ToList();
        var listB = pathB.Split('/');
        if (listA.Count > listB.Length || (exact && listA.Count != listB.Length))
        {
            return false;
        }

        if (!exact)
        {
            listA.RemoveAt(listA.Count - 1);
        }

        for (var i = 0; i < listA.Count; i++)
        {
            if (Uri.UnescapeDataString(listA[i]) != Uri.UnescapeDataString(listB[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The URL as CSP matching sees it. <see cref="ExplicitPort"/> is null when the URL uses its scheme's
    /// default port (a URL record's port is null then).</summary>
    private sealed record RequestUrl(string Scheme, string Host, int? ExplicitPort, string Path)
    {
        public int DefaultPort => Scheme is "https" or "wss" ? 443 : 80;

        public int EffectivePort => ExplicitPort ?? DefaultPort;

        public bool PortIsDefault => ExplicitPort is null;

        public static RequestUrl Of(Uri ws)
        {
            var scheme = ws.Scheme.ToLowerInvariant();
            var host = ws.HostNameType == UriHostNameType.IPv6 ? ws.Host.Trim('[', ']') : ws.IdnHost.ToLowerInvariant();
            var defaultPort = scheme is "https" or "wss" ? 443 : 80;
            return new RequestUrl(scheme, host, ws.Port == defaultPort ? null : ws.Port, ws.AbsolutePath);
        }
    }
}
