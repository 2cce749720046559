using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Browser.Rules;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab.Scenarios;

/// <summary>The browser layer without a browser (--page-origin, --page-url): healthy servers that a page would still
/// fail to reach, because of a rule only browsers apply. Real browsers judge the same cases in the browser tests.</summary>
internal static class BrowserScenarios
{
    private static readonly PageOrigin PublicPage = new("https", "app.example.com", 443);

    public static IEnumerable<LabScenario> All()
    {
        yield return new("browser-mixed-content", Codes.BrowserMixedContent, T("https page opens ws:// to a name (not localhost) that leads to a healthy server", "https 页面用 ws:// 连接一个域名（不是 localhost），后端服务本身正常"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://ws.example.com:{server.Port}/ws") with { ConnectTo = $"127.0.0.1:{server.Port}", PageOrigin = PublicPage };
                return new LabInstance(options, Expect.Mentions(Codes.BrowserMixedContent, "Mixed Content: The page at 'https://app.example.com/'"), server);
            });
        yield return new("browser-local-network-access", Codes.BrowserLocalNetworkAccess, T("public https page opens a WebSocket to a loopback server", "公网 https 页面向回环地址上的服务端打开 WebSocket"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://127.0.0.1:{server.Port}/ws") with { PageOrigin = PublicPage };
                return new LabInstance(options, Expect.All(
                    Expect.DataEquals(Codes.BrowserLocalNetworkAccess, "targetAddressSpace", "loopback"),
                    Expect.DataEquals(Codes.BrowserLocalNetworkAccess, "permission", "loopback-network")), server);
            });
        yield return new("browser-unsafe-port", Codes.BrowserUnsafePort, T("healthy server on a port browsers refuse (10080 or an IRC port)", "服务端正常，但端口是浏览器拒绝连接的端口（10080 或 IRC 端口）"),
            async (env, ct) =>
            {
                var port = Ports.FirstFree(10080, 6665, 6666, 6667, 6668, 6669) ?? throw new InvalidOperationException("every restricted port the lab tries is in use");
                var server = await KestrelEcho.StartAsync(port: port, ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://localhost:{port}/ws") with { PageOrigin = new PageOrigin("http", "localhost", 3000), Family = Probes.AddressFamilyPreference.IPv4 };
                return new LabInstance(options, Expect.DataEquals(Codes.BrowserUnsafePort, "port", port), server);
            });
        yield return new("browser-csp-blocks", Codes.BrowserCspBlocks, T("the page's Content-Security-Policy allows only 'self'; the WebSocket is on another port", "页面的 Content-Security-Policy 只允许 'self'，而 WebSocket 在另一个端口上"),
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                var page = RawServer.Start(async (s, token) =>
                {
                    _ = await RawHttp.ReadRequestAsync(s, token).ConfigureAwait(false);
                    await RawHttp.WriteAsync(s, RawHttp.Response(200, "OK", "<!doctype html><title>app</title>", "Content-Type: text/html", "Content-Security-Policy: default-src 'self'"), token).ConfigureAwait(false);
                });
                var options = env.Check($"ws://127.0.0.1:{server.Port}/ws") with { PageUrl = new Uri($"http://app.localhost:{page.Port}/chat") };
                return new LabInstance(options, Expect.All(
                    Expect.DataEquals(Codes.BrowserCspBlocks, "directive", "default-src"),
                    Expect.Mentions(Codes.BrowserCspBlocks, "'connect-src' was not explicitly set")), server, page);
            });
    }
}
