using Wsdoctor.Browsers.Tests.Support;
using Wsdoctor.Lab.Servers;
using static Wsdoctor.Browsers.Tests.Support.RealBrowsers;

namespace Wsdoctor.Browsers.Tests;

/// <summary>The rules of the browser layer, each judged twice: by wsdoctor from the page origin alone, and by the real
/// browser opening the WebSocket from a page at that origin. The server is healthy every time: only the browser's
/// rule stands in the way.</summary>
public class PageRulesInBrowsersTests
{
    [SkippableTheory]
    [InlineData("chromium", "An insecure WebSocket connection may not be initiated from a page loaded over HTTPS")]
    [InlineData("firefox", "The operation is insecure")]
    public async Task Check_HttpsPageToWsName_MixedContentBlocked(string browser, string exception)
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync(browser, $"ws://ws.example.com:{server.Port}/ws", "--connect-to", $"127.0.0.1:{server.Port}", "--page-origin", "https://app.example.com");

        var finding = Finding(report, "browser.mixed-content");
        Assert.True(finding is not null, Show(report));
        var seen = Observation(report, browser);
        Assert.Equal("blocked", (string?)seen["outcome"]);
        Assert.Contains("SecurityError", (string?)seen["error"] ?? "");
        Assert.Contains(exception, (string?)seen["error"] ?? "");
        Assert.Equal(true, (bool?)seen["agrees"]);
        if (browser == "chromium")
        {
            // The console line wsdoctor quotes is the one Chromium writes, word for word.
            var predicted = (string)finding!["data"]!["consoleText"]!;
            Assert.Contains(seen["console"]!.AsArray(), line => ((string?)line ?? "").EndsWith(predicted, StringComparison.Ordinal));
        }
    }

    [SkippableTheory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public async Task Check_HttpsLoopbackPageToWsLoopback_NotMixedContent(string browser)
    {
        await using var server = await KestrelEcho.StartAsync();

        // https://localhost is a loopback page: no Local Network Access either, only the mixed-content rule is tested.
        var report = await CheckAsync(browser, $"ws://127.0.0.1:{server.Port}/ws", "--page-origin", "https://localhost");

        Assert.DoesNotContain("browser.mixed-content", Codes(report));
        Assert.True((string?)Observation(report, browser)["outcome"] == "opened", Show(report));
    }

    [SkippableTheory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public async Task Check_PortOnBothLists_BrowserRefusesBeforeSending(string browser)
    {
        var port = FreePort(10080, 6665, 6666, 6667, 6668, 6669, 6697);
        await using var server = await KestrelEcho.StartAsync(port: port);

        var report = await CheckAsync(browser, $"ws://127.0.0.1:{port}/ws", "--page-origin", "http://localhost:3000");

        Assert.True((string?)report["rootCause"]?["code"] == "browser.unsafe-port", Show(report));
        var seen = Observation(report, browser);
        Assert.NotEqual("opened", (string?)seen["outcome"]);
        Assert.Null(seen["requestHeaders"]);
        if (browser == "chromium")
        {
            Assert.Contains("net::ERR_UNSAFE_PORT", (string?)seen["error"] ?? "");
        }

        Assert.Equal(true, (bool?)seen["agrees"]);
    }

    [SkippableFact]
    public async Task Check_PortOnTheFetchListOnly_FirefoxRefuses_ChromiumOpens()
    {
        var port = FreePort(6679, 4190);
        await using var server = await KestrelEcho.StartAsync(port: port);

        var report = await CheckAsync("all", $"ws://127.0.0.1:{port}/ws", "--page-origin", "http://localhost:3000");

        var finding = Finding(report, "browser.unsafe-port");
        Assert.True(finding is not null, Show(report));
        Assert.Equal(["firefox"], finding!["data"]!["blockedBy"]!.AsArray().Select(b => (string?)b));
        Assert.Equal("opened", (string?)Observation(report, "chromium")["outcome"]);
        Assert.Equal(true, (bool?)Observation(report, "chromium")["agrees"]);
        Assert.NotEqual("opened", (string?)Observation(report, "firefox")["outcome"]);
        Assert.Equal(true, (bool?)Observation(report, "firefox")["agrees"]);
    }

    [SkippableFact]
    public async Task Check_PublicPageToLoopback_ChromiumBlocksLocalNetworkAccess_FirefoxDoesNotYet()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync("all", $"ws://127.0.0.1:{server.Port}/ws", "--page-origin", "https://app.example.com");

        var finding = Finding(report, "browser.local-network-access");
        Assert.True(finding is not null, Show(report));
        Assert.Equal("loopback", (string?)finding!["data"]!["targetAddressSpace"]);
        var chromium = Observation(report, "chromium");
        Assert.Contains("net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS", (string?)chromium["error"] ?? "");
        Assert.Equal(true, (bool?)chromium["agrees"]);
        Assert.Equal("opened", (string?)Observation(report, "firefox")["outcome"]);
        Assert.Equal(true, (bool?)Observation(report, "firefox")["agrees"]);
    }

    [SkippableFact]
    public async Task Check_LoopbackPageToLoopback_NoLocalNetworkAccessPrompt()
    {
        await using var server = await KestrelEcho.StartAsync();

        var report = await CheckAsync("chromium", $"ws://127.0.0.1:{server.Port}/ws", "--page-origin", "http://localhost:3000");

        Assert.DoesNotContain("browser.local-network-access", Codes(report));
        Assert.True((string?)Observation(report, "chromium")["outcome"] == "opened", Show(report));
    }

    [SkippableTheory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    public async Task Check_PageCspSelf_BlocksWebSocketToAnotherPort(string browser)
    {
        await using var server = await KestrelEcho.StartAsync();
        await using var page = HttpFiles.Page("<!doctype html><title>app</title>", "Content-Security-Policy: default-src 'self'");

        var report = await CheckAsync(browser, $"ws://127.0.0.1:{server.Port}/ws", "--page-url", $"http://app.localhost:{page.Port}/chat");

        var finding = Finding(report, "browser.csp-blocks");
        Assert.True(finding is not null, Show(report));
        var seen = Observation(report, browser);
        Assert.Equal("blocked", (string?)seen["outcome"]);
        Assert.Equal(true, (bool?)seen["agrees"]);
        if (browser == "chromium")
        {
            Assert.Equal((string?)finding!["data"]!["consoleText"], (string?)seen["error"]);
        }
        else
        {
            Assert.Contains("default-src 'self'", (string?)seen["error"] ?? "");
        }
    }

    [SkippableFact]
    public async Task Check_MetaCsp_IsReadFromTheHeadAndEnforcedByTheBrowser()
    {
        await using var server = await KestrelEcho.StartAsync();
        await using var page = HttpFiles.Page("<!doctype html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"connect-src 'none'\"></head><body></body></html>");

        var report = await CheckAsync("chromium", $"ws://127.0.0.1:{server.Port}/ws", "--page-url", $"http://app.localhost:{page.Port}/");

        Assert.True((string?)Finding(report, "browser.csp-blocks")?["data"]?["policySource"] == "metatag", Show(report));
        Assert.Equal("blocked", (string?)Observation(report, "chromium")["outcome"]);
    }

    /// <summary>The source-matching rules where browsers and the CSP text could be read differently, judged by both
    /// browsers: wsdoctor must predict each one as they decide it.</summary>
    [SkippableTheory]
    [InlineData("connect-src http://127.0.0.1:PORT", false)]
    [InlineData("connect-src ws://127.0.0.1:PORT", true)]
    [InlineData("connect-src ws:", true)]
    [InlineData("connect-src wss:", false)]
    [InlineData("connect-src *", true)]
    [InlineData("connect-src 127.0.0.1:PORT", false)]
    public async Task Check_CspSourceForWs_WsdoctorPredictsBothBrowsers(string policy, bool allowed)
    {
        await using var server = await KestrelEcho.StartAsync();
        await using var page = HttpFiles.Page("<!doctype html><title>app</title>", $"Content-Security-Policy: {policy.Replace("PORT", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}");

        var report = await CheckAsync("all", $"ws://127.0.0.1:{server.Port}/ws", "--page-url", $"http://app.localhost:{page.Port}/");

        Assert.True(Codes(report).Contains("browser.csp-blocks") != allowed, Show(report));
        foreach (var browser in new[] { "chromium", "firefox" })
        {
            Assert.True(((string?)Observation(report, browser)["outcome"] == "opened") == allowed, $"{browser} with '{policy}'\n{Show(report)}");
        }
    }

    /// <summary>The first of the ports that can be bound right now (they are all on the lists under test).</summary>
    private static int FreePort(params int[] ports) =>
        Ports.FirstFree(ports) ?? throw new Xunit.Sdk.XunitException($"none of the ports {string.Join(", ", ports)} is free");
}
