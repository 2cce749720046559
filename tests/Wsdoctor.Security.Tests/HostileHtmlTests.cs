using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>The HTML wsdoctor produces shows what servers said — close reasons, headers, message payloads, error
/// pages — and must show it as text: against tests/peers/servers/hostile-server.js, whose every word is a script, the
/// pages are loaded in headless Chromium, which must run none of it while the hostile text is visibly on the page
/// (so the test cannot pass by the text simply being absent).</summary>
public sealed class HostileHtmlTests
{
    [SkippableFact]
    public async Task ConformReport_HostileServerAndAgentName_NoScriptRunsInChromium()
    {
        RequireBrowser();
        using var server = await StartHostileAsync();
        using var dir = new TempDirectory();
        var run = await WsdoctorProcess.RunAsync(["conform", "server", $"ws://127.0.0.1:{server.Port}/", "--cases", "1.1.1,1.1.2,0.1.1",
            "--agent", "<script>window.__xss=6</script>", "--report-dir", dir.Path]);
        var index = Path.Combine(dir.Path, "index.html");
        Assert.True(File.Exists(index), run.ToString());
        var html = await File.ReadAllTextAsync(index);
        Assert.DoesNotContain("<script>window.__xss", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);

        var visit = await Browser.OpenAsync(new Uri(index).AbsoluteUri, "body");

        Assert.Null(visit.Xss);
        Assert.Empty(visit.Dialogs);
        Assert.Contains("<script>window.__xss=6</script>", visit.Text, StringComparison.Ordinal);
        Assert.Contains("<img src=x onerror=window.__xss=3>", visit.Text, StringComparison.Ordinal);
        Assert.Contains("onerror=\"window.__xss=2\"", visit.Text, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(false, "<img src=x onerror=window.__xss=3>")]
    [InlineData(true, "window.__xss=")]
    public async Task ProbePage_HostileServer_NoScriptRunsInChromium(bool refuse, string shownLiterally)
    {
        RequireBrowser();
        using var server = await StartHostileAsync(refuse ? ["--refuse"] : []);
        await using var probe = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "probe", $"ws://127.0.0.1:{server.Port}/", "--no-qr", "-H", "X-Note: <script>window.__xss=7</script>"]);
        var link = (await probe.Stderr.WaitForAsync(l => l.StartsWith("  http://", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the probe link")).Trim();

        var visit = await Browser.OpenAsync(link, "text=The terminal shows the full report");
        await probe.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Null(visit.Xss);
        Assert.Empty(visit.Dialogs);
        Assert.Contains(shownLiterally, visit.Text, StringComparison.Ordinal);
    }

    private static void RequireBrowser()
    {
        Peers.RequireNodeModule("playwright-core");
        Peers.RequireNodeModule("ws");
        Peers.Require(Peers.Chromium);
    }

    private static async Task<HostileServer> StartHostileAsync(params string[] args)
    {
        var script = Path.Combine(Peers.NodeProject, "servers", "hostile-server.js");
        var (peer, first) = await PeerProcess.StartAsync(Peers.Node, [script, .. args], TimeSpan.FromSeconds(30));
        return new HostileServer(peer, int.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record HostileServer(PeerProcess Peer, int Port) : IDisposable
    {
        public void Dispose() => Peer.Dispose();
    }
}
