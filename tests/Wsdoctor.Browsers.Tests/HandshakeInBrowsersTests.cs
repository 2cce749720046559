using Wsdoctor.Browsers.Tests.Support;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;
using static Wsdoctor.Browsers.Tests.Support.RealBrowsers;

namespace Wsdoctor.Browsers.Tests;

/// <summary>check --browser on healthy and refusing endpoints: what the real browser saw, beside wsdoctor's verdict.</summary>
public class HandshakeInBrowsersTests
{
    [SkippableTheory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public async Task Check_HealthyWs_BrowserOpensAndAgrees(string browser)
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(browser, $"ws://127.0.0.1:{server.Port}/ws");

        var seen = Observation(report, browser);
        Assert.True((string?)report["verdict"] == "ok", Show(report));
        Assert.Equal("opened", (string?)seen["outcome"]);
        Assert.Equal(true, (bool?)seen["agrees"]);
        // Without --page-origin the page is the target's own origin, and the browser sent exactly that.
        Assert.Equal($"http://127.0.0.1:{server.Port}", (string?)seen["pageOrigin"]);
        Assert.Equal($"http://127.0.0.1:{server.Port}", (string?)seen["requestHeaders"]?["Origin"]);
        Assert.Equal(1000, (int?)seen["closeCode"]);
        Assert.Equal("info", (string?)Finding(report, "browser.verdict")!["severity"]);
    }

    [SkippableTheory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public async Task Check_OriginAllowlist403_BrowserGets403Too(string browser)
    {
        // Python websockets' own allowlist: the app's origin, and clients that send no Origin (not browsers). The page
        // is local (http://localhost:3000), so nothing else stands in the way.
        Peers.Require(Peers.Python);
        var (peer, port) = await PeerProcess.StartAsync(Peers.Python, [Path.Combine(Peers.NodeProject, "python", "ws_server.py"), "--origins", "https://app.example.com,none"], TimeSpan.FromSeconds(30));
        using (peer)
        {
            var report = await CheckAsync(browser, $"ws://127.0.0.1:{port}/", "--page-origin", "http://localhost:3000");

            var seen = Observation(report, browser);
            Assert.True((string?)report["rootCause"]?["code"] == "http.forbidden-origin", Show(report));
            Assert.Equal("failed", (string?)seen["outcome"]);
            Assert.Contains("403", (string?)seen["error"] ?? "");
            Assert.Equal("http://localhost:3000", (string?)seen["requestHeaders"]?["Origin"]);
            Assert.Equal(true, (bool?)seen["agrees"]);
        }
    }

    [SkippableFact]
    public async Task Check_TokenInAuthorizationHeader_BrowserCannotSendIt_AlternativesNamed()
    {
        await using var serve = await ServeProcess.StartAsync(["--token", "s3cret-token-value"]);
        var url = serve.Url.ToString();

        var report = await CheckAsync("chromium", url, "--token", "s3cret-token-value");

        // wsdoctor got in with the header; the page cannot send one and is refused.
        var header = Finding(report, "auth.header-unavailable-in-browser");
        Assert.True(header is not null, Show(report));
        var accepted = header!["data"]!["acceptedAlternatives"]!.AsArray().Select(a => (string?)a).ToArray();
        Assert.Contains("query parameter ?token=", accepted);
        Assert.Contains("cookie token=", accepted);
        Assert.Contains("subprotocol", accepted);
        Assert.DoesNotContain("query parameter ?access_token=", accepted);
        var seen = Observation(report, "chromium");
        Assert.Equal("failed", (string?)seen["outcome"]);
        // Chromium's words for a 401 to the upgrade.
        Assert.Contains("HTTP Authentication failed", (string?)seen["error"] ?? "");
        Assert.Equal(false, (bool?)seen["agrees"]);
        Assert.Contains("Authorization", (string?)seen["comparison"] ?? "");
        Assert.DoesNotContain("s3cret-token-value", report.ToJsonString());
    }

    [SkippableFact]
    public async Task Check_TokenInQuery_BrowserOpensWithIt()
    {
        await using var serve = await ServeProcess.StartAsync(["--token", "s3cret-token-value"]);

        var report = await CheckAsync("chromium", serve.Url.ToString(), "--token", "s3cret-token-value", "--token-in", "query:token");

        var seen = Observation(report, "chromium");
        Assert.True((string?)seen["outcome"] == "opened", Show(report));
        Assert.Null(Finding(report, "auth.header-unavailable-in-browser"));
        Assert.DoesNotContain("s3cret-token-value", report.ToJsonString());
    }
}
