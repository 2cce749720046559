using System.Text;
using Wsdoctor.Probes.ReverseProxies;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Probes.Tests.ReverseProxies;

/// <summary>Recognising intermediaries from what they write into a response. The header values and error-page texts
/// are the products' own (as their documentation and error templates have them); the real ones that run here
/// (nginx, HAProxy, Apache, Caddy, lighttpd) are also identified in RealProxyTests.</summary>
public class ProxyIdentifierTests
{
    private static ResponseHead Head(int status, params string[] headers)
    {
        var text = $"HTTP/1.1 {status} X\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n";
        var parser = new ResponseHeadParser();
        Assert.Equal(HeadParseStatus.Complete, parser.Consume(Encoding.ASCII.GetBytes(text), out _));
        return parser.Head!;
    }

    [Theory]
    [InlineData(101, "Server: nginx/1.22.1", "", "nginx", "1.22.1")]
    [InlineData(502, "Server: openresty", "", "nginx", null)]
    [InlineData(404, "Content-Type: text/html", "<html><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>", "nginx", null)]
    [InlineData(503, "Content-Type: text/html", "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>", "haproxy", null)]
    [InlineData(400, "Content-Type: text/html", "<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>", "haproxy", null)]
    [InlineData(426, "Server: Apache/2.4.71 (Debian)", "", "apache", "2.4.71")]
    [InlineData(502, "Content-Type: text/html", "<html><head><title>502 Proxy Error</title></head><body>The proxy server received an invalid response</body></html>", "apache", null)]
    [InlineData(200, "Server: Caddy", "", "caddy", null)]
    [InlineData(426, "Server: lighttpd/1.4.69", "", "lighttpd", "1.4.69")]
    [InlineData(403, "server: envoy", "", "envoy", null)]
    [InlineData(503, "x-envoy-upstream-service-time: 3", "upstream connect error or disconnect/reset before headers. reset reason: connection failure", "envoy", null)]
    [InlineData(404, "Content-Type: text/plain; charset=utf-8", "404 page not found\n", "traefik", null)]
    [InlineData(521, "Server: cloudflare", "", "cloudflare", null)]
    [InlineData(403, "CF-Ray: 8f1e2d3c4b5a6978-FRA", "", "cloudflare", null)]
    [InlineData(502, "X-Amz-Cf-Id: abc==", "", "aws-cloudfront", null)]
    [InlineData(502, "Server: awselb/2.0", "", "aws-alb", null)]
    [InlineData(502, "Server: Microsoft-Azure-Application-Gateway/v2", "", "azure-appgw", null)]
    [InlineData(502, "Via: 1.1 google", "", "gcp-lb", null)]
    [InlineData(503, "Via: 1.1 vegur", "", "heroku", null)]
    public void Identify_KnownSignatures(int status, string header, string body, string id, string? version)
    {
        var identity = ProxyIdentifier.Identify(Head(status, header), Encoding.UTF8.GetBytes(body));
        Assert.NotNull(identity);
        Assert.Equal(id, identity!.Id);
        Assert.Equal(version, identity.Version);
        Assert.False(string.IsNullOrEmpty(identity.Evidence));
    }

    [Theory]
    [InlineData("Server: Kestrel")]
    [InlineData("Server: Python/3.11 websockets/10.4")]
    [InlineData("Content-Type: text/plain")]
    public void Identify_AnApplicationServer_IsNoProxy(string header)
    {
        Assert.Null(ProxyIdentifier.Identify(Head(400, header), Encoding.UTF8.GetBytes("bad request")));
    }

    [Theory]
    [InlineData("1.22.1", true)]
    [InlineData("1.29.6", true)]
    [InlineData("1.29.7", false)]
    [InlineData("1.31.0", false)]
    [InlineData(null, true)]
    public void ForwardUpgrade_Nginx_HttpVersionOnlyWhereItIsNotTheDefault(string? version, bool needsHttpVersion)
    {
        var fix = ProxyFixes.ForwardUpgrade(new ProxyIdentity("nginx", "nginx", version, "Server: nginx"));
        Assert.Equal(needsHttpVersion, fix.Contains("proxy_http_version 1.1", StringComparison.Ordinal));
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", fix);
    }
}
