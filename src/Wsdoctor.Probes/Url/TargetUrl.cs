namespace Wsdoctor.Probes.Url;

/// <summary>A WebSocket URL that passed the url layer.</summary>
public sealed record TargetUrl(Uri Uri)
{
    public bool IsSecure => Uri.Scheme == "wss";
    public string Host => Uri.IdnHost;
    public int Port => Uri.Port;

    /// <summary>The Host header value: the default port is omitted (RFC 6455 4.1 / RFC 9110 7.2).</summary>
    public string HostHeader => Uri.IsDefaultPort ? HostForHeader : $"{HostForHeader}:{Port}";

    public string PathAndQuery => string.IsNullOrEmpty(Uri.PathAndQuery) ? "/" : Uri.PathAndQuery;

    /// <summary>The origin a page served from the same host would send (ws -> http, wss -> https).</summary>
    public string SameHostOrigin => $"{(IsSecure ? "https" : "http")}://{HostHeader}";

    public bool HostIsIpLiteral => Uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;

    private string HostForHeader => Uri.HostNameType == UriHostNameType.IPv6 ? $"[{Host.Trim('[', ']')}]" : Host;

    public TargetUrl WithPathAndQuery(string pathAndQuery) =>
        new(new Uri($"{Uri.Scheme}://{Uri.Authority}{pathAndQuery}"));
}
