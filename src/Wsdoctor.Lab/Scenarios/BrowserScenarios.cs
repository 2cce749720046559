using Wsdoctor.Findings;
using Wsdoctor.Lab.Servers;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Lab.Scenarios;

/// <summary>The browser layer without a browser (--page-origin, --page-url): healthy servers that a page would still
/// fail to reach, because of a rule only browsers apply. Real browsers judge the same cases in the browser tests.</summary>
internal static class BrowserScenarios
{
    private static readonly PageOrigin PublicPage = new("https", "app.example.com", 443);

    public static IEnumerable<LabScenario> All()
    {
        yield return new("browser-mixed-content", Codes.BrowserMixedContent, "https page opens ws:// to a name (not localhost) that leads to a healthy server",
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://ws.example.com:{server.Port}/ws") with { ConnectTo = $"127.0.0.1:{server.Port}", PageOrigin = PublicPage };
                return new LabInstance(options, Expect.Mentions(Codes.BrowserMixedContent, "Mixed Content: The page at 'https://app.example.com/'"), server);
            });
        yield return new("browser-local-network-access", Codes.BrowserLocalNetworkAccess, "public https page opens a WebSocket to a loopback server",
            async (env, ct) =>
            {
                var server = await KestrelEcho.StartAsync(ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://127.0.0.1:{server.Port}/ws") with { PageOrigin = PublicPage };
                return new LabInstance(options, Expect.All(
                    Expect.DataEquals(Codes.BrowserLocalNetworkAccess, "targetAddressSpace", "loopback"),
                    Expect.DataEquals(Codes.BrowserLocalNetworkAccess, "permission", "loopback-network")), server);
            });
        yield return new("browser-unsafe-port", Codes.BrowserUnsafePort, "healthy server on a port browsers refuse (10080 or an IRC port)",
            async (env, ct) =>
            {
                var port = Ports.FirstFree(10080, 6665, 6666, 6667, 6668, 6669) ?? throw new InvalidOperationException("every restricted port the lab tries is in use");
                var server = await KestrelEcho.StartAsync(port: port, ct: ct).ConfigureAwait(false);
                var options = env.Check($"ws://localhost:{port}/ws") with { PageOrigin = new PageOrigin("http", "localhost", 3000), Family = Probes.AddressFamilyPreference.IPv4 };
                return new LabInstance(options, Expect.DataEquals(Codes.BrowserUnsafePort, "port", port), server);
            });
        yield return new("browser-csp-blocks", Codes.BrowserCspBlocks, "the page's Content-Security-Policy allows only 'self'; the WebSocket is on another port",
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
