using System.Net;
using Wsdoctor.Findings;

namespace Wsdoctor.Probes.Browser.Rules;

/// <summary>The origin of the page that opens the WebSocket (--page-origin): scheme, host and port, nothing more.</summary>
public sealed record PageOrigin(string Scheme, string Host, int Port)
{
    public bool IsHttps => Scheme == "https";

    public int DefaultPort => IsHttps ? 443 : 80;

    /// <summary>The serialisation browsers send in the Origin header: the default port is omitted.</summary>
    public string Serialized => Port == DefaultPort ? $"{Scheme}://{HostForUrl}" : $"{Scheme}://{HostForUrl}:{Port}";

    public string HostForUrl => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    public bool HostIsIpLiteral => IPAddress.TryParse(Host, out _);

    public override string ToString() => Serialized;

    /// <summary>Parses <c>https://host[:port]</c> (a trailing '/' is tolerated). Anything else is an error message,
    /// in both languages.</summary>
    public static bool TryParse(string text, out PageOrigin? origin, out Text error)
    {
        origin = null;
        error = Text.Empty;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !Url.IdnHosts.HasIdnForm(uri))
        {
            error = Text.T(
                $"a page origin is http://HOST[:PORT] or https://HOST[:PORT] (got '{text}')",
                $"页面源的格式是 http://HOST[:PORT] 或 https://HOST[:PORT]（收到的是“{text}”）");
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = Text.T(
                $"'{text}' is a page URL, not an origin: give its origin ({uri.Scheme}://{uri.Authority}), or pass the page as --page-url",
                $"“{text}”是页面 URL，不是源：请给出它的源（{uri.Scheme}://{uri.Authority}），或者用 --page-url 传入这个页面");
            return false;
        }

        origin = FromUri(uri);
        return true;
    }

    public static PageOrigin FromUri(Uri uri) =>
        new(uri.Scheme, uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost.ToLowerInvariant(), uri.Port);
}
