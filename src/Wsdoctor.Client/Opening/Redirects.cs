using Wsdoctor.Findings;

namespace Wsdoctor.Client.Opening;

/// <summary>-L: where a 3xx answer to the upgrade request points, as a ws:// or wss:// URL.</summary>
internal static class Redirects
{
    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>Resolves Location against the current URL (seen as http/https, which is what servers write)
    /// and maps it back to ws/wss; anything else is refused with a reason.</summary>
    public static (Uri? Next, Text? Error) Next(Uri current, string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return (null, Text.T("the redirect has no Location header", "重定向没有 Location 头"));
        }

        var asHttp = new UriBuilder(current) { Scheme = current.Scheme == "wss" ? "https" : "http", Port = current.IsDefaultPort ? -1 : current.Port }.Uri;
        if (!Uri.TryCreate(asHttp, location.Trim(), out var resolved))
        {
            return (null, Text.T($"the Location '{location}' is not a URL", $"Location '{location}' 不是 URL"));
        }

        var scheme = resolved.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => null,
        };
        if (scheme is null)
        {
            return (null, Text.T($"the Location '{location}' is not an http(s) or ws(s) URL", $"Location '{location}' 不是 http(s) 或 ws(s) URL"));
        }

        var builder = new UriBuilder(resolved) { Scheme = scheme, Port = resolved.IsDefaultPort ? -1 : resolved.Port };
        return (builder.Uri, null);
    }

    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
