using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests;

/// <summary>`wsdoctor connect` in pipe mode as scripts use it, against a real Node `ws` server.</summary>
public sealed class ConnectCommandTests
{
    private static string Url(EventPeer peer, string path = "/") => $"ws://127.0.0.1:{peer.Port}{path}";

    [SkippableFact]
    public async Task Pipe_EachLineIsAMessage_EachReplyALine_ExitOnEof()
    {
        using var peer = await EventPeer.StartNodeAsync();
        using var connect = ConnectProcess.Start([Url(peer), "--exit-on-eof"]);

        await connect.WriteAsync("first line\n");
        Assert.Equal("first line", await connect.NextRecordAsync());
        await connect.WriteAsync("second\r\n");
        Assert.Equal("second", await connect.NextRecordAsync());
        connect.CloseStdin();
        var run = await connect.ExitAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["first line", "second"], run.StdoutLines);
        Assert.Contains($"connected to ws://127.0.0.1:{peer.Port}/", run.Stderr, StringComparison.Ordinal);
        var close = await peer.WaitForAsync("close");
        Assert.Equal(1000, close.GetProperty("code").GetInt32());
        Assert.Equal(2, peer.Count("message"));
    }

    [SkippableFact]
    public async Task Pipe_ExitOnEofWithWait_RepliesAPythonServerSendsLateStillArrive()
    {
        // Python websockets stops sending once it has our close frame, so without -w the echo of the last line
        // can be lost; -w keeps listening after stdin ends.
        using var peer = await EventPeer.StartPythonAsync();
        var lines = string.Concat(Enumerable.Range(1, 20).Select(i => $"line {i}\n"));

        var run = await ConnectProcess.RunAsync([Url(peer), "--exit-on-eof", "-w", "3s"], lines);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"line {i}"), run.StdoutLines);
        var close = await peer.WaitForAsync("close");
        Assert.Equal(1000, close.GetProperty("code").GetInt32());
    }

    [SkippableFact]
    public async Task Pipe_ServerCloses1008_ExplainedOnStderr_Exit1()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer)], "close:1008:token expired\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Contains("closed by the server: 1008 Policy Violation \"token expired\"", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Pipe_ServerCloses1000_AfterStdinEnded_Exit0()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer)], "hello\nclose:1000:done\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["hello"], run.StdoutLines);
        Assert.Contains("1000 Normal Closure \"done\"", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Execute_SendsEach_WaitsForReplies_ClosesNormally()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "-x", "burst:3", "-x", "tail", "-w", "1s"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["m1", "m2", "m3", "tail"], run.StdoutLines);
        var close = await peer.WaitForAsync("close");
        Assert.Equal(1000, close.GetProperty("code").GetInt32());
    }

    [SkippableFact]
    public async Task MaxMessages_StopsAfterN()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "-x", "burst:50", "-w", "50s", "--max-messages", "2"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["m1", "m2"], run.StdoutLines);
        await peer.WaitForAsync("close", e => e.GetProperty("code").GetInt32() == 1000);
    }

    [SkippableFact]
    public async Task Jsonl_OneRecordPerEvent_WithDirectionOpcodeSize()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "--jsonl", "-x", "héllo", "-w", "1"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var records = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var outText = records.First(r => r.GetProperty("dir").GetString() == "out" && r.GetProperty("opcode").GetString() == "text");
        var inText = records.First(r => r.GetProperty("dir").GetString() == "in" && r.GetProperty("opcode").GetString() == "text");
        Assert.Equal("héllo", inText.GetProperty("data").GetString());
        Assert.Equal(6, inText.GetProperty("size").GetInt32());
        Assert.Equal("héllo", outText.GetProperty("data").GetString());
        Assert.True(DateTimeOffset.TryParse(inText.GetProperty("ts").GetString(), out _));
        var close = records.First(r => r.GetProperty("opcode").GetString() == "close" && r.GetProperty("dir").GetString() == "out");
        Assert.Equal(1000, close.GetProperty("code").GetInt32());
    }

    [SkippableFact]
    public async Task NullTerminated_RecordsSplitOnNulBothWays()
    {
        using var peer = await EventPeer.StartNodeAsync();
        using var connect = ConnectProcess.Start([Url(peer), "--null-terminated", "--exit-on-eof"], separator: '\0');

        await connect.WriteAsync("line one\nstill one\0two\0");
        Assert.Equal("line one\nstill one", await connect.NextRecordAsync());
        Assert.Equal("two", await connect.NextRecordAsync());
        connect.CloseStdin();
        var run = await connect.ExitAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("line one\nstill one\0two\0", run.Stdout);
    }

    [SkippableFact]
    public async Task Binary_LinesSentAsBinary_BinaryRepliesWrittenRaw()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "--binary", "--exit-on-eof"], "AB\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        var message = await peer.WaitForAsync("message");
        Assert.True(message.GetProperty("binary").GetBoolean());
        Assert.Equal(2, message.GetProperty("size").GetInt32());
        Assert.Equal("AB\n", run.Stdout);
    }

    [SkippableFact]
    public async Task BinaryReply_WithoutBinaryFlag_OneHexLine()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "-x", "binary:00ff410a", "-w", "1"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["00ff410a"], run.StdoutLines);
    }

    [SkippableFact]
    public async Task Pretty_IndentsJsonReplies()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "-x", "{\"a\":[1,2]}", "-x", "plain", "-w", "1", "--pretty"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["{", "  \"a\": [", "    1,", "    2", "  ]", "}", "plain"], run.StdoutLines);
    }

    [Fact]
    public async Task ClosedPort_DiagnosisRootCauseAndFix_Exit1()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await ConnectProcess.RunAsync([$"ws://127.0.0.1:{port}/"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("could not open the WebSocket", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("tcp.refused (root cause)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [SkippableFact]
    public async Task NotAWebSocketEndpoint_DiagnosisSaysNotUpgraded()
    {
        using var peer = await EventPeer.StartNodeAsync("--no-upgrade");

        var run = await ConnectProcess.RunAsync([Url(peer)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("200 OK instead of 101", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("http.not-upgraded (root cause)", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Redirect_RefusedWithoutL_FollowedWithL()
    {
        using var target = await EventPeer.StartNodeAsync();
        using var mover = await EventPeer.StartNodeAsync("--redirect", $"ws://127.0.0.1:{target.Port}/new");

        var refused = await ConnectProcess.RunAsync([Url(mover, "/old"), "-x", "hi"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("browsers never follow redirects", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("(root cause)", refused.Stderr, StringComparison.Ordinal);

        var followed = await ConnectProcess.RunAsync([Url(mover, "/old"), "-L", "-x", "hi", "-w", "1"]);
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Equal(["hi"], followed.StdoutLines);
        Assert.Contains($"redirected:   301 -> ws://127.0.0.1:{target.Port}/new", followed.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Secrets_RedactedUnlessShowSecrets()
    {
        using var peer = await EventPeer.StartNodeAsync();
        string[] args = [Url(peer, "/feed?access_token=s3cr3t-value"), "--token", "bearer-secret-xyz", "-x", "x", "-w", "0.5"];

        var hidden = await ConnectProcess.RunAsync(args);
        var shown = await ConnectProcess.RunAsync([.. args, "--show-secrets"]);

        var upgrade = await peer.WaitForAsync("upgrade");
        Assert.Equal("/feed?access_token=s3cr3t-value", upgrade.GetProperty("url").GetString());
        Assert.Equal("Bearer bearer-secret-xyz", upgrade.GetProperty("headers").GetProperty("authorization").GetString());
        Assert.True(hidden.ExitCode == 0, hidden.ToString());
        Assert.DoesNotContain("s3cr3t-value", hidden.Stderr + hidden.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bearer-secret-xyz", hidden.Stderr + hidden.Stdout, StringComparison.Ordinal);
        Assert.Contains("access_token=", hidden.Stderr, StringComparison.Ordinal);
        Assert.Contains("access_token=s3cr3t-value", shown.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PingInterval_PrintsRtt_ShowPingPong_ShowsServerPing()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var run = await ConnectProcess.RunAsync([Url(peer), "-x", "ping:from-server", "-w", "1", "--ping-interval", "100ms", "-P"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"< pong ""wsdoctor-1"" rtt [0-9.]+ ms", run.Stderr);
        Assert.Contains("< ping \"from-server\"", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("> pong \"from-server\"", run.Stderr, StringComparison.Ordinal);
        await peer.WaitForAsync("ping", e => e.GetProperty("data").GetString() == "wsdoctor-1");
    }

    [SkippableFact]
    public async Task Reconnect_AfterDrop_BacksOffThroughRefusals_ThenContinues()
    {
        using var peer = await EventPeer.StartNodeAsync("--greet", "--drop-first-after", "300", "--refuse-next", "2");

        var run = await ConnectProcess.RunAsync([Url(peer), "--reconnect", "--reconnect-max-delay", "200ms", "--max-messages", "2"], "");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["welcome 1", "welcome 4"], run.StdoutLines);
        Assert.Contains("connection lost: 1006", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("attempt 1 failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("attempt 2 failed", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 3 failed", run.Stderr, StringComparison.Ordinal);
        await peer.WaitForAsync("upgrade", e => e.GetProperty("n").GetInt32() == 4);
        Assert.Equal(4, peer.Count("upgrade"));
    }

    [SkippableFact]
    public async Task Reconnect_AfterServiceRestart1012_ButNotAfterPolicy1008()
    {
        using var peer = await EventPeer.StartNodeAsync("--greet");

        var restarted = await ConnectProcess.RunAsync([Url(peer), "--reconnect", "--reconnect-max-delay", "100ms", "--max-messages", "2"], "close:1012:restarting\n");
        var refused = await ConnectProcess.RunAsync([Url(peer), "--reconnect", "--reconnect-max-delay", "100ms"], "close:1008:no\n");

        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Equal(["welcome 1", "welcome 2"], restarted.StdoutLines);
        Assert.Contains("1012 Service Restart", restarted.Stderr, StringComparison.Ordinal);
        Assert.Contains("reconnecting in", restarted.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.DoesNotContain("reconnecting", refused.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Reconnect_GivesUpAfterMaxAttempts_WithDiagnosis()
    {
        using var peer = await EventPeer.StartNodeAsync("--greet", "--drop-first-after", "300", "--refuse-next", "1000");

        var run = await ConnectProcess.RunAsync([Url(peer), "--reconnect", "--reconnect-max-attempts", "3", "--reconnect-max-delay", "100ms"], "");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("reconnecting in", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("attempt 3 failed", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("gave up after 3 reconnect attempts", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(root cause)", run.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Proxy407_DiagnosisSaysProxyRefused()
    {
        using var peer = await EventPeer.StartNodeAsync();
        using var proxy = await Tinyproxy.StartAsync([peer.Port], ("alice", "pa55word"));

        var refused = await ConnectProcess.RunAsync([Url(peer), "--proxy", proxy.Url, "-x", "hi"]);
        var allowed = await ConnectProcess.RunAsync([Url(peer), "--proxy", proxy.UrlWith("alice", "pa55word"), "-x", "hi", "-w", "1"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("407", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("proxy.connect-refused (root cause)", refused.Stderr, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal(["hi"], allowed.StdoutLines);
        Assert.Contains($"through proxy http://alice:***@127.0.0.1:{proxy.Port}", allowed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", allowed.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HttpProxyEnvironment_Used_NoProxyBypasses()
    {
        using var peer = await EventPeer.StartNodeAsync();
        using var proxy = await Tinyproxy.StartAsync([peer.Port]);

        var proxied = await ConnectProcess.RunAsync([Url(peer), "-x", "a", "-w", "0.5"], environment: new Dictionary<string, string> { ["HTTP_PROXY"] = proxy.Url });
        var direct = await ConnectProcess.RunAsync([Url(peer), "-x", "a", "-w", "0.5"], environment: new Dictionary<string, string> { ["HTTP_PROXY"] = proxy.Url, ["NO_PROXY"] = "127.0.0.1" });

        Assert.Contains("(from HTTP_PROXY)", proxied.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("through proxy", direct.Stderr, StringComparison.Ordinal);
        Assert.True(direct.ExitCode == 0, direct.ToString());
    }

    [Theory]
    [InlineData("--max-messages", "0")]
    [InlineData("--ping-timeout", "1s")]
    [InlineData("--reconnect-max-attempts", "0")]
    [InlineData("--ping-interval", "soon")]
    [InlineData("--wait", "1")]
    public async Task BadOptions_OneLineUsageError_Exit2(string option, string value)
    {
        var run = await ConnectProcess.RunAsync(["ws://127.0.0.1:9/", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("wsdoctor: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.StderrLines);
    }
}
