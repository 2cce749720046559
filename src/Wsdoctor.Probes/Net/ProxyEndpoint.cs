using System.Globalization;
using System.Net;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Net;

/// <summary>An HTTP proxy that tunnels the WebSocket connection with CONNECT (RFC 9110 9.3.6), the way browsers
/// reach ws:// and wss:// through a proxy. <see cref="Source"/> says where it came from (--proxy, HTTPS_PROXY...).</summary>
public sealed record ProxyEndpoint(string Host, int Port, string? User, string? Password, string Source)
{
    /// <summary>The proxy as a user would write it, with the password masked.</summary>
    public string Display => $"http://{(User is null ? "" : Uri.EscapeDataString(User) + ":***@")}{HostForUrl}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The proxy as given, password included (for --show-secrets).</summary>
    public string DisplayWithSecrets => User is null ? Display
        : $"http://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(Password ?? "")}@{HostForUrl}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private string HostForUrl => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    /// <summary>Parses <c>http://[user:pass@]host[:port]</c> or a bare <c>host:port</c> (taken as http, like curl).</summary>
    public static bool TryParse(string text, string source, out ProxyEndpoint? proxy, out Text error)
    {
        proxy = null;
        error = Text.Empty;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = T($"{source} is empty", $"{source} 为空");
            return false;
        }

        if (!trimmed.Contains("://", StringComparison.Ordinal))
        {
            trimmed = "http://" + trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
        {
            error = T($"{source} is not a proxy URL: '{Secrets(text)}' (expected http://[user:pass@]host:port)", $"{source} 不是代理 URL：“{Secrets(text)}”（应为 http://[user:pass@]host:port）");
            return false;
        }

        if (uri.Scheme is "https")
        {
            error = T($"{source}: TLS to the proxy itself (https://) is not supported; use http://{uri.Authority.Split('@')[^1]} (the tunnel to a wss:// server is still encrypted end to end)", $"{source}：不支持与代理本身建立 TLS（https://）；请改用 http://{uri.Authority.Split('@')[^1]}（到 wss:// 服务器的隧道仍是端到端加密的）");
            return false;
        }

        if (uri.Scheme is not "http")
        {
            error = T($"{source}: only HTTP CONNECT proxies (http://) are supported, not {uri.Scheme}://", $"{source}：只支持 HTTP CONNECT 代理（http://），不支持 {uri.Scheme}://");
            return false;
        }

        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0)
        {
            error = T($"{source}: a proxy URL has no path or query ('{Secrets(text)}')", $"{source}：代理 URL 不能带路径或查询参数（“{Secrets(text)}”）");
            return false;
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var host = uri.Host.Trim('[', ']');
        if (host.Length == 0)
        {
            error = T($"{source}: the proxy URL has no host", $"{source}：代理 URL 中没有主机");
            return false;
        }

        // Port 80 is the http:// default; curl would pick 1080, but an http:// proxy URL without a port means 80 everywhere else.
        proxy = new ProxyEndpoint(host, uri.IsDefaultPort ? 80 : uri.Port, user, password, source);
        return true;
    }

    private static string Secrets(string text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return text;
        }

        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var colon = text.IndexOf(':', start);
        return colon > 0 && colon < at ? text[..(colon + 1)] + "***" + text[at..] : text;
    }

    internal bool IsLiteral => IPAddress.TryParse(Host, out _);
}
