using System.Globalization;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests.Peers;

/// <summary><c>conform server</c> against real servers: Node ws and Python websockets (which report passing Autobahn),
/// wsdoctor serve (which must pass everything), and the lab's deliberately broken server (which must fail exactly
/// the cases its two bugs touch). Disagreements with the libraries' Autobahn results are asserted as found, each
/// with the rule that decides it (README, "conform").</summary>
public sealed class ServerPeerTests
{
    private static string AutobahnPeer(string name) => Path.Combine(TestPeers.Peers.NodeProject, "autobahn", name);

    private static async Task<(PeerProcess Peer, string Url)> NodeWsAsync(params string[] args)
    {
        TestPeers.Peers.RequireNodeModule("ws");
        var (peer, port) = await PeerProcess.StartAsync(TestPeers.Peers.Node, [AutobahnPeer("ws-echo-server.js"), .. args], TimeSpan.FromSeconds(20));
        return (peer, $"ws://127.0.0.1:{port.Trim()}/");
    }

    [SkippableFact]
    public async Task NodeWs_AutobahnCategoriesPass_HandshakeFindingsFailed()
    {
        var (peer, url) = await NodeWsAsync();
        using var _ = peer;

        var (run, report) = await Conform.ServerAsync(url, "ws", "--cases", "0.*,1.*,2.*,3.*,4.*,5.*,6.*,7.*,10.*,12.2.*");

        Assert.True(run.ExitCode == 1, run.ToString());
        // RFC 9112 3.2 (400 without Host) and RFC 6455 4.2.1 item 1 (HTTP/1.1 or later): Node's HTTP server and ws accept both.
        Assert.Equal(["0.5.1", "0.9.1"], report.CasesGraded("ws", "FAILED").Order());
        // ws validates UTF-8 when a message is complete, not as it arrives: 6.4 is NON-STRICT, as in ws's own Autobahn runs.
        Assert.Equal(["0.6.1", "0.6.2", "6.4.1", "6.4.2", "6.4.3", "6.4.4"], report.CasesGraded("ws", "NON-STRICT").Order());
        Assert.All(report.Index["ws"].Where(c => c.Key.StartsWith("12.", StringComparison.Ordinal)), c => Assert.Equal("OK", c.Value.GetProperty("behavior").GetString()));
        Assert.Equal("INFORMATIONAL", report.Behavior("ws", "7.13.1"));
        Assert.Contains("FAILED     0.5.1", run.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task NodeWs_DefaultFragmentLimit_9_3_1Fails1008()
    {
        // ws 8.23 caps a message at 16384 fragments by default; 9.3.1 sends 65536, 9.3.2 exactly 16384.
        var (peer, url) = await NodeWsAsync("--ws-defaults");
        using var _ = peer;

        var (run, report) = await Conform.ServerAsync(url, "ws-defaults", "--cases", "9.3.1,9.3.2");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("FAILED", report.Behavior("ws-defaults", "9.3.1"));
        Assert.Equal(1008, report.CaseFile("ws-defaults", "9.3.1").GetProperty("remoteCloseCode").GetInt32());
        Assert.Equal("OK", report.Behavior("ws-defaults", "9.3.2"));
    }

    [SkippableFact]
    public async Task PythonWebsockets_AutobahnCategoriesPass_FailFastAcrossFrames()
    {
        var (peer, port) = await PeerProcess.StartAsync(TestPeers.Peers.Require(TestPeers.Peers.Python),
            [Path.Combine(TestPeers.Peers.NodeProject, "python", "echo_server.py")], TimeSpan.FromSeconds(20));
        using var _ = peer;

        var (run, report) = await Conform.ServerAsync($"ws://127.0.0.1:{port.Trim()}/", "websockets", "--cases", "0.*,1.*,2.*,3.*,4.*,5.*,6.*,7.*,9.1.3,13.3.*");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(["0.5.1"], report.CasesGraded("websockets", "FAILED"));
        // websockets validates UTF-8 frame by frame: fail-fast across frames (OK), not inside one frame (NON-STRICT).
        Assert.Equal("OK", report.Behavior("websockets", "6.4.1"));
        Assert.Equal("NON-STRICT", report.Behavior("websockets", "6.4.3"));
        // Its echo runs in a task of its own, so a protocol error can overtake the echo of the message before it:
        // Autobahn's NON-STRICT for 3.2-3.4, 4.x.3-5 and 5.15. It refuses version 99 with 400 but without the
        // Sec-WebSocket-Version header RFC 6455 4.4 asks for (0.2.1), and reads a request body as frames (0.6.x).
        Assert.Equal("NON-STRICT", report.Behavior("websockets", "0.2.1"));
        Assert.All(report.CasesGraded("websockets", "NON-STRICT"), id =>
            Assert.Matches(@"^(0\.2\.1|0\.6\.\d|3\.[234]|4\.[12]\.[345]|5\.15|6\.4\.[34])$", id));
        Assert.All(report.Index["websockets"].Where(c => c.Key.StartsWith("13.", StringComparison.Ordinal)), c => Assert.Equal("OK", c.Value.GetProperty("behavior").GetString()));
    }

    [SkippableFact]
    public async Task Serve_FullSuite_NothingFailed_ReportsAgree()
    {
        await using var serve = await ServeProcess.StartAsync(["--compress"]);

        var (run, report) = await Conform.ServerAsync(serve.Url.ToString(), "wsdoctor serve", "--strict");

        // --strict: NON-STRICT fails the run too. serve's frame loop echoes before it parses the next frame and
        // validates UTF-8 as bytes arrive, so 3.x-5.x (echo before the protocol error) and 6.4 (fail fast) are OK.
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(541, report.Index["wsdoctor serve"].Count);
        Assert.Empty(report.CasesGraded("wsdoctor serve", "FAILED"));
        Assert.Empty(report.CasesGraded("wsdoctor serve", "NON-STRICT"));
        Assert.Empty(report.CasesGraded("wsdoctor serve", "UNIMPLEMENTED"));
        var ok = report.CasesGraded("wsdoctor serve", "OK").Count();
        Assert.Contains($"wsdoctor serve: 541 cases in", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"no case FAILED, {ok} OK", run.Stdout, StringComparison.Ordinal);

        var entry = report.Index["wsdoctor serve"]["2.2"];
        Assert.Equal("OK", entry.GetProperty("behaviorClose").GetString());
        Assert.Equal(1000, entry.GetProperty("remoteCloseCode").GetInt32());
        Assert.Equal("wsdoctor_serve_case_2_2.json", entry.GetProperty("reportfile").GetString());
        Assert.True(entry.GetProperty("duration").GetInt64() >= 0);
        var wire = string.Join("\n", report.CaseFile("wsdoctor serve", "2.2").GetProperty("wirelog").EnumerateArray().Select(e => e[2].GetString()));
        Assert.Contains("PING", wire, StringComparison.Ordinal);
        Assert.Contains("PONG \"Hello, world!\"", wire, StringComparison.Ordinal);

        var html = File.ReadAllText(Path.Combine(report.Directory, "index.html"));
        Assert.Contains("<h2>Summary</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"OK {ok}", html, StringComparison.Ordinal);
        Assert.Contains("id=\"wsdoctor_serve_case_9_8_6\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Strict_NonStrictFailsTheRun()
    {
        // ws validates UTF-8 per message, so 6.4.3 (fail fast inside a frame) is NON-STRICT for it.
        var (peer, url) = await NodeWsAsync();
        using var _ = peer;

        var (lenient, report) = await Conform.ServerAsync(url, "ws", "--cases", "6.4.3");
        var (strict, _) = await Conform.ServerAsync(url, "ws", "--cases", "6.4.3", "--strict");

        Assert.Equal("NON-STRICT", report.Behavior("ws", "6.4.3"));
        Assert.Equal(0, lenient.ExitCode);
        Assert.Equal(1, strict.ExitCode);
    }

    [SkippableFact]
    public async Task Serve_WithoutCompress_Strict_EveryCaseOk()
    {
        // The frame loop without --compress: every category but permessage-deflate's, strictly.
        await using var serve = await ServeProcess.StartAsync([]);

        var (run, report) = await Conform.ServerAsync(serve.Url.ToString(), "serve", "--exclude", "12.*,13.*", "--strict");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(report.CasesGraded("serve", "FAILED"));
        Assert.Empty(report.CasesGraded("serve", "NON-STRICT"));
        Assert.Equal("OK", report.Behavior("serve", "3.4"));
        Assert.Equal("OK", report.Behavior("serve", "6.4.3"));
    }

    [Fact]
    public async Task SloppyServer_FailsExactlyTheCasesItsBugsTouch()
    {
        await using var sloppy = SloppyEchoServer.Start();

        var (run, report) = await Conform.ServerAsync($"ws://127.0.0.1:{sloppy.Port.ToString(CultureInfo.InvariantCulture)}/", "sloppy", "--exclude", "9.*");

        Assert.Equal(1, run.ExitCode);
        string[] pongPayload = ["2.2", "2.3", "2.4", "2.6", "2.9", "2.10", "2.11", "5.6", "5.7", "5.8", "5.19", "5.20"];
        var invalidCloseCodes = Enumerable.Range(1, 9).Select(i => $"7.9.{i}");
        Assert.Equal(pongPayload.Concat(invalidCloseCodes).Order(), report.CasesGraded("sloppy", "FAILED").Order());
        Assert.Equal("WRONG CODE", report.Index["sloppy"]["7.9.2"].GetProperty("behaviorClose").GetString());
        Assert.Equal("OK", report.Behavior("sloppy", "2.1"));
        Assert.Equal(216, report.CasesGraded("sloppy", "UNIMPLEMENTED").Count());
        Assert.Empty(sloppy.Faults);
    }
}
