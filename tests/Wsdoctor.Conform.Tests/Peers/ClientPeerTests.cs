using System.Globalization;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests.Peers;

/// <summary><c>conform client</c> (the fuzzing server) driven by the client loops library CI scripts use, unchanged:
/// Node ws and Python websockets, one WebSocket per harness request.</summary>
public sealed class ClientPeerTests
{
    private const string Subset = "1.*,2.*,3.*,5.*,6.4.*,7.*,9.7.1,12.1.1,12.1.11,13.3.1,13.7.2";

    private static async Task<(LongRunningProcess Harness, string Url, string Dir)> StartHarnessAsync(params string[] more)
    {
        var dir = Directory.CreateTempSubdirectory("conform-clients-").FullName;
        var port = TestPeers.Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        var harness = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "conform", "client", "--listen", $"127.0.0.1:{port}", "--report-dir", dir, .. more]);
        await harness.Stdout.WaitForAsync(l => l.StartsWith("conform client:", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the listen line");
        return (harness, $"ws://127.0.0.1:{port}", dir);
    }

    [SkippableFact]
    public async Task NodeWsClientLoop_RunsUnchanged_ReportWrittenOnUpdateReports()
    {
        TestPeers.Peers.RequireNodeModule("ws");
        var (harness, url, dir) = await StartHarnessAsync("--cases", Subset, "--exit-after-report");
        await using var _ = harness;

        var client = await WsdoctorProcess.RunProcessAsync(TestPeers.Peers.Node, [Path.Combine(TestPeers.Peers.NodeProject, "autobahn", "ws-client.js"), url, "ws-client"], new Dictionary<string, string>());
        var exit = await harness.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var count = Wsdoctor.Conform.Cases.CaseTable.Select(Wsdoctor.Conform.Cases.CaseTable.For(false), [Subset], null).Count;
        Assert.Contains($"ran {count} cases", client.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        var report = Report.Load(dir);
        Assert.Equal(count, report.Index["ws-client"].Count);
        Assert.Empty(report.CasesGraded("ws-client", "FAILED"));
        Assert.Equal(["6.4.1", "6.4.2", "6.4.3", "6.4.4"], report.CasesGraded("ws-client", "NON-STRICT").Order());
        // The client offered permessage-deflate; the harness accepted it, imposing client_max_window_bits=9 in 13.3.1.
        Assert.Equal("OK", report.Behavior("ws-client", "13.3.1"));
        Assert.Contains("client_max_window_bits=9", report.CaseFile("ws-client", "13.3.1").GetProperty("httpResponse").GetString(), StringComparison.Ordinal);
        Assert.False(report.CaseFile("ws-client", "1.1.1").GetProperty("isServer").GetBoolean());
    }

    [SkippableFact]
    public async Task PythonWebsocketsClientLoop_RunsUnchanged()
    {
        var python = TestPeers.Peers.Require(TestPeers.Peers.Python);
        var (harness, url, dir) = await StartHarnessAsync("--cases", Subset, "--exit-after-report");
        await using var _ = harness;

        var client = await WsdoctorProcess.RunProcessAsync(python, [Path.Combine(TestPeers.Peers.NodeProject, "python", "autobahn_client.py"), url, "websockets"], new Dictionary<string, string>());
        await harness.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(client.Stdout.Contains("ran ", StringComparison.Ordinal), $"exit {client.ExitCode}\n{client.Stdout}\n{client.Stderr}");
        var report = Report.Load(dir);
        Assert.Empty(report.CasesGraded("websockets", "FAILED"));
        Assert.Equal("OK", report.Behavior("websockets", "6.4.1"));
        Assert.Equal("OK", report.Behavior("websockets", "12.1.11"));
    }

    [SkippableFact]
    public async Task CtrlC_WritesTheReportOfWhatRan()
    {
        TestPeers.Peers.RequireNodeModule("ws");
        var (harness, url, dir) = await StartHarnessAsync("--cases", "1.1.*");
        await using var _ = harness;

        await WsdoctorProcess.RunProcessAsync(TestPeers.Peers.Node, [Path.Combine(TestPeers.Peers.NodeProject, "autobahn", "ws-client.js"), url, "ws", "--no-report"], new Dictionary<string, string>());
        Assert.False(File.Exists(Path.Combine(dir, "index.json")));
        harness.Signal(LongRunningProcess.SigInt);
        var exit = await harness.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Equal(8, Report.Load(dir).CasesGraded("ws", "OK").Count());
        Assert.True(File.Exists(Path.Combine(dir, "index.html")));
    }

    [Fact]
    public async Task Connect_ReadsTheHarnessCaseCount()
    {
        var (harness, url, _) = await StartHarnessAsync("--cases", "1.*");
        await using var _ = harness;

        var run = await WsdoctorProcess.RunAsync("connect", $"{url}/getCaseCount");

        Assert.Contains("16", run.Stdout, StringComparison.Ordinal);
    }
}
