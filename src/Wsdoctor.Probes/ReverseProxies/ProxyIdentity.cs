using System.Text;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Http;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.ReverseProxies;

/// <summary>An intermediary recognised in a response, with what gave it away.</summary>
/// <param name="Id">A key of <see cref="Findings.Intermediaries"/> (nginx, haproxy, apache, caddy, traefik, envoy,
/// lighttpd, cloudflare, aws-alb, aws-cloudfront, gcp-lb, azure-appgw, heroku, ingress-nginx).</param>
/// <param name="Version">The version when the response names one (nginx/1.22.1).</param>
/// <param name="Evidence">What gave it away, in English (data); <see cref="EvidenceText"/> is the same in every language.</param>
public sealed record ProxyIdentity(string Id, string Name, string? Version, string Evidence)
{
    /// <summary>The name in every language (a product name stays as it is; "Heroku router" is translated); its English is <see cref="Name"/>.</summary>
    public Text NameText { get; init; } = Verbatim(Name);

    /// <summary>What gave it away, in every language; its English is <see cref="Evidence"/>.</summary>
    public Text EvidenceText { get; init; } = Verbatim(Evidence);

    public string Display => Version is null ? Name : $"{Name} {Version}";

    /// <summary><see cref="Display"/> in every language.</summary>
    public Text DisplayText => Version is null ? NameText : NameText + Verbatim($" {Version}");

    /// <summary>An identity whose name or evidence is prose: the English of each is what <see cref="Name"/> and
    /// <see cref="Evidence"/> hold.</summary>
    internal static ProxyIdentity Of(string id, Text name, string? version, Text evidence) =>
        new(id, name.En, version, evidence.En) { NameText = name, EvidenceText = evidence };
}

/// <summary>Recognises the common proxies, load balancers and CDNs from what they put in a response: their headers
/// (Server, Via, CF-Ray, X-Amz-Cf-Id, x-envoy-*) and the fixed texts of their own error pages. Only what the
/// response shows: null means "proxy unknown", which is an honest answer.</summary>
public static partial class ProxyIdentifier
{
    [GeneratedRegex(@"^(?:nginx|openresty)(?:/(?<v>[\d.]+))?", RegexOptions.IgnoreCase)]
    private static partial Regex NginxServer();

    [GeneratedRegex(@"^Apache(?:/(?<v>[\d.]+))?", RegexOptions.IgnoreCase)]
    private static partial Regex ApacheServer();

    [GeneratedRegex(@"^lighttpd(?:/(?<v>[\d.]+))?", RegexOptions.IgnoreCase)]
    private static partial Regex LighttpdServer();

    public static ProxyIdentity? Identify(ResponseHead head, ReadOnlySpan<byte> body)
    {
        var server = head.Get("Server") ?? "";
        var via = head.Get("Via") ?? "";
        var text = Encoding.UTF8.GetString(body.Length > 4096 ? body[..4096] : body);

        if (head.Get("CF-Ray") is not null || server.Equals("cloudflare", StringComparison.OrdinalIgnoreCase))
        {
            return new("cloudflare", "Cloudflare", null, head.Get("CF-Ray") is { } r ? $"CF-Ray: {r}" : "Server: cloudflare");
        }

        if (head.Get("X-Amz-Cf-Id") is not null || via.Contains("CloudFront", StringComparison.OrdinalIgnoreCase))
        {
            return ProxyIdentity.Of("aws-cloudfront", Verbatim("AWS CloudFront"), null, via.Length > 0 ? Verbatim($"Via: {via}") : T("X-Amz-Cf-Id header", "X-Amz-Cf-Id 响应头"));
        }

        if (server.StartsWith("awselb", StringComparison.OrdinalIgnoreCase))
        {
            return new("aws-alb", "AWS Application Load Balancer", null, $"Server: {server}");
        }

        if (server.StartsWith("Microsoft-Azure-Application-Gateway", StringComparison.OrdinalIgnoreCase))
        {
            return new("azure-appgw", "Azure Application Gateway", null, $"Server: {server}");
        }

        if (via.Contains("google", StringComparison.OrdinalIgnoreCase) || server.Equals("Google Frontend", StringComparison.OrdinalIgnoreCase))
        {
            return ProxyIdentity.Of("gcp-lb", T("Google Cloud load balancer", "Google Cloud 负载均衡器"), null, Verbatim(via.Length > 0 ? $"Via: {via}" : $"Server: {server}"));
        }

        if (via.Contains("vegur", StringComparison.OrdinalIgnoreCase))
        {
            return ProxyIdentity.Of("heroku", T("Heroku router", "Heroku 路由器"), null, Verbatim($"Via: {via}"));
        }

        if (server.Contains("envoy", StringComparison.OrdinalIgnoreCase) || head.Headers.Any(h => h.Name.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase))
            || text.StartsWith("upstream connect error or disconnect/reset before headers", StringComparison.Ordinal) || text == "no healthy upstream")
        {
            var istio = server.Contains("istio", StringComparison.OrdinalIgnoreCase);
            return ProxyIdentity.Of("envoy", Verbatim(istio ? "Istio (Envoy)" : "Envoy"), null,
                server.Length > 0 ? Verbatim($"Server: {server}")
                : head.Headers.FirstOrDefault(h => h.Name.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase)) is { } h ? T($"{h.Name} header", $"{h.Name} 响应头")
                : T($"body: {text.Trim()}", $"响应体：{text.Trim()}"));
        }

        if (server.StartsWith("Caddy", StringComparison.OrdinalIgnoreCase) || via.Contains("Caddy", StringComparison.OrdinalIgnoreCase))
        {
            return new("caddy", "Caddy", null, server.Length > 0 ? $"Server: {server}" : $"Via: {via}");
        }

        if (NginxServer().Match(server) is { Success: true } nginx)
        {
            var version = nginx.Groups["v"].Success ? nginx.Groups["v"].Value : null;
            // ingress-nginx answers with its own fake default backend and the usual nginx error pages; nothing in a
            // response tells it apart from plain nginx, so it is named as nginx and its annotations given in the fix.
            return new("nginx", server.StartsWith("openresty", StringComparison.OrdinalIgnoreCase) ? "OpenResty (nginx)" : "nginx", version, $"Server: {server}");
        }

        if (text.Contains("<center>nginx", StringComparison.Ordinal))
        {
            return ProxyIdentity.Of("nginx", Verbatim("nginx"), null, T("nginx's own error page (<center>nginx</center>)", "nginx 自己的错误页（<center>nginx</center>）"));
        }

        if (ApacheServer().Match(server) is { Success: true } apache)
        {
            return new("apache", "Apache httpd", apache.Groups["v"].Success ? apache.Groups["v"].Value : null, $"Server: {server}");
        }

        if (text.Contains("<title>502 Proxy Error</title>", StringComparison.Ordinal) || text.Contains("The proxy server received an invalid", StringComparison.Ordinal) || text.Contains("AH01144", StringComparison.Ordinal))
        {
            return ProxyIdentity.Of("apache", Verbatim("Apache httpd"), null, T("Apache's Proxy Error page", "Apache 的 Proxy Error 错误页"));
        }

        if (LighttpdServer().Match(server) is { Success: true } lighttpd)
        {
            return new("lighttpd", "lighttpd", lighttpd.Groups["v"].Success ? lighttpd.Groups["v"].Value : null, $"Server: {server}");
        }

        // HAProxy sends no Server header; its built-in error pages are recognisable word for word.
        if (text.Contains("No server is available to handle this request.", StringComparison.Ordinal)
            || text.Contains("Your browser sent an invalid request.", StringComparison.Ordinal)
            || text.Contains("The server returned an invalid or incomplete response.", StringComparison.Ordinal)
            || text.Contains("The server didn't respond in time.", StringComparison.Ordinal))
        {
            var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('<')) ?? text.Trim();
            return ProxyIdentity.Of("haproxy", Verbatim("HAProxy"), null, T($"HAProxy's built-in error page: {line}", $"HAProxy 内置的错误页：{line}"));
        }

        // Traefik's own 404 for a request no router matches: plain text, no Server header.
        if (head.StatusCode == 404 && text == "404 page not found\n" && server.Length == 0)
        {
            return ProxyIdentity.Of("traefik", T("Traefik (or another Go net/http server)", "Traefik（或其他 Go net/http 服务端）"), null,
                T("body \"404 page not found\" (Traefik's answer when no router matches; Go's default 404 too)",
                    "响应体 \"404 page not found\"（Traefik 在没有路由匹配时的应答，也是 Go 默认的 404）"));
        }

        return null;
    }
}
