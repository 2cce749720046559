using System.Text.Json.Nodes;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Browsers.Tests;

/// <summary><c>wsdoctor probe</c> with a browser wsdoctor did not start: headless Chromium driven by Playwright
/// (tests/peers/browser/open-page.js) opens the printed link like a user would, and both the page and the terminal
/// must show the browser's result beside wsdoctor's diagnosis.</summary>
public class ProbeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task Probe_HealthyServer_PageAndTerminalShowOpenedAndWorks()
    {
        await using var server = await KestrelEcho.StartAsync();

        var (page, report, exit) = await ProbeAsync($"ws://127.0.0.1:{server.Port}/ws");

        Assert.Contains("Your browser opened the WebSocket.", page);
        Assert.Contains("wsdoctor: the connection works.", page);
        Assert.Equal(0, exit);
        var seen = report["browsers"]!.AsArray().OfType<JsonObject>().Single();
        Assert.Equal("opened", (string?)seen["outcome"]);
        Assert.Equal("chromium", (string?)seen["browser"]);
        Assert.StartsWith("Headless Chrome", (string?)seen["version"]);
        Assert.Equal(true, (bool?)seen["agrees"]);
        // The page reported its own origin: the probe's loopback address.
        Assert.StartsWith("http://127.0.0.1:", (string?)seen["pageOrigin"]);
    }

    [SkippableFact]
    public async Task Probe_NothingListens_PageShowsTheRootCauseAndFix()
    {
        var port = Peers.FreePort();

        var (page, report, exit) = await ProbeAsync($"ws://127.0.0.1:{port}/ws");

        Assert.Contains("Your browser could not open the WebSocket.", page);
        Assert.Contains("tcp.refused", page);
        Assert.Contains("Fix", page);
        Assert.Equal(1, exit);
        Assert.Equal("tcp.refused", (string?)report["rootCause"]?["code"]);
        var seen = report["browsers"]!.AsArray().OfType<JsonObject>().Single();
        Assert.Equal("failed", (string?)seen["outcome"]);
        Assert.Equal(1006, (int?)seen["closeCode"]);
        Assert.Equal(true, (bool?)seen["agrees"]);
    }

    private static async Task<(string Page, JsonObject Report, int Exit)> ProbeAsync(string url)
    {
        Peers.Require(Support.RealBrowsers.Chromium);
        Peers.RequireNodeModule("playwright-core");
        await using var probe = LongRunningProcess.Start(WsdoctorProcess.DotnetHost, [WsdoctorProcess.DllPath, "probe", url, "--listen", "127.0.0.1:0", "--json", "--wait", "60s"]);
        var link = (await probe.Stderr.WaitForAsync(l => l.TrimStart().StartsWith("http://127.0.0.1:", StringComparison.Ordinal), Limit, "the probe link")).Trim();

        var (browser, line) = await PeerProcess.StartAsync(Peers.Node,
            [Path.Combine(Peers.NodeProject, "browser", "open-page.js"), link, "#diagnosis.ok, #diagnosis.fail, #diagnosis.warn", "60000"], Limit);
        using (browser)
        {
            var opened = JsonNode.Parse(line)!.AsObject();
            Assert.True(opened["error"] is null, $"the page did not finish: {line}\n{probe.Stderr}");
            var exit = await probe.WaitForExitAsync(Limit);
            var report = JsonNode.Parse(string.Join('\n', probe.Stdout.Lines))!.AsObject();
            return ((string)opened["text"]!, report, exit);
        }
    }
}
