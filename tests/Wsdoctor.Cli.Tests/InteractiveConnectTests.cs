using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests;

/// <summary>`wsdoctor connect` on a real pseudo-terminal (tests/peers/python/pty_drive.py), typed at like a person:
/// line editing, timestamps, events printed above the prompt, slash commands.</summary>
public sealed class InteractiveConnectTests
{
    private sealed record Screen(string Output, int? Exit, string? Failed);

    private static async Task<Screen> DriveAsync(object[] steps, params string[] args)
    {
        var driver = Path.Combine(Peers.NodeProject, "python", "pty_drive.py");
        var stepsFile = Path.Combine(Path.GetTempPath(), $"wsdoctor-pty-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(stepsFile, JsonSerializer.Serialize(steps));
        try
        {
            var run = await WsdoctorProcess.RunProcessAsync(Peers.Require(Peers.Python),
                [driver, stepsFile, "--", WsdoctorProcess.DotnetHost, WsdoctorProcess.DllPath, "connect", .. args],
                new Dictionary<string, string>());
            using var result = JsonDocument.Parse(run.Stdout);
            var root = result.RootElement;
            return new Screen(
                root.GetProperty("output").GetString()!,
                root.GetProperty("exit").ValueKind == JsonValueKind.Null ? null : root.GetProperty("exit").GetInt32(),
                root.GetProperty("failed").ValueKind == JsonValueKind.Null ? null : root.GetProperty("failed").ToString());
        }
        finally
        {
            File.Delete(stepsFile);
        }
    }

    private static object Write(string keys) => new { write = keys };

    private static object Expect(string regex) => new { expect = regex };

    [SkippableFact]
    public async Task Prompt_EditWithArrows_SendsEdited_PingRtt_CloseCodeReachesServer()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var screen = await DriveAsync(
        [
            Expect("connected to"),
            Expect("> "),
            Write("helo\u001b[Dl\r"),                 // type "helo", Left, insert "l": "hello"
            Expect(@"\d\d:\d\d:\d\d\.\d{3} < hello"),
            Write("wrong\u007f\u007f\u007f\u007f\u007fup\u001b[A\u001b[A\r"), // backspaces, then Up twice: history "hello"
            Expect(@"< hello"),
            Write("/ping abc\r"),
            Expect(@"< pong ""abc"" rtt [0-9.]+ ms"),
            Write("/binary 00 ff 41\r"),
            Expect(@"< binary, 3 bytes"),
            Expect(@"00000000  00 ff 41 .*\|\.\.A\|"),
            Write("/nonsense\r"),
            Expect(@"! unknown command /nonsense"),
            Write("/close 4000 bye\r"),
            new { exit = 30 },
        ], $"ws://127.0.0.1:{peer.Port}/");

        Assert.True(screen.Failed is null, $"step {screen.Failed} failed; screen:\n{screen.Output}");
        Assert.Equal(0, screen.Exit);
        Assert.Matches(@"\d\d:\d\d:\d\d\.\d{3} > hello", screen.Output);
        Assert.Contains("> close 4000 \"bye\"", screen.Output, StringComparison.Ordinal);
        var close = await peer.WaitForAsync("close");
        Assert.Equal(4000, close.GetProperty("code").GetInt32());
        Assert.Equal("bye", close.GetProperty("reason").GetString());
        var messages = peer.Events.Where(e => e.GetProperty("event").GetString() == "message").ToArray();
        Assert.Equal(["hello", "hello"], messages.Where(e => !e.GetProperty("binary").GetBoolean()).Select(e => e.GetProperty("text").GetString()));
        Assert.Equal(3, Assert.Single(messages, e => e.GetProperty("binary").GetBoolean()).GetProperty("size").GetInt32());
        await peer.WaitForAsync("ping", e => e.GetProperty("data").GetString() == "abc");
    }

    [SkippableFact]
    public async Task IncomingMessage_PrintedAboveThePrompt_UnfinishedLineRedrawn()
    {
        using var peer = await EventPeer.StartNodeAsync();
        var url = $"ws://127.0.0.1:{peer.Port}/";
        var pusher = Task.Run(async () =>
        {
            // Once the interactive client is open, a second client asks the server to push to everyone.
            await peer.WaitForAsync("message", e => e.GetProperty("text").GetString() == "ready");
            return await ConnectProcess.RunAsync([url, "-x", "broadcast:pushed by server", "-w", "1"]);
        });

        var screen = await DriveAsync(
        [
            Expect("> "),
            Write("ready\r"),
            Expect("< ready"),
            Write("half-typed"),
            Expect(@"> half-typed"),
            Expect(@"\r\x1b\[2K\d\d:\d\d:\d\d\.\d{3} < pushed by server\r+\n\r\x1b\[2K> half-typed"),
            Write("\u0015\u0004"),                   // Ctrl-U clears the line, Ctrl-D on an empty line closes
            new { exit = 30 },
        ], url);

        Assert.True(screen.Failed is null, $"step {screen.Failed} failed; screen:\n{screen.Output}");
        Assert.Equal(0, screen.Exit);
        Assert.True((await pusher).ExitCode == 0);
        await peer.WaitForAsync("close", e => e.GetProperty("code").GetInt32() == 1000);
    }

    [SkippableFact]
    public async Task ServerClose_ExplainedOnTheTerminal_Exit1()
    {
        using var peer = await EventPeer.StartNodeAsync();

        var screen = await DriveAsync(
        [
            Expect("> "),
            Write("close:1013:busy\r"),
            Expect("closed by the server: 1013 Try Again Later \"busy\""),
            new { exit = 30 },
        ], $"ws://127.0.0.1:{peer.Port}/");

        Assert.True(screen.Failed is null, $"step {screen.Failed} failed; screen:\n{screen.Output}");
        Assert.Equal(1, screen.Exit);
        Assert.Contains("backoff", screen.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CannotConnect_DiagnosisOnTheTerminal_Exit1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var screen = await DriveAsync(
        [
            Expect("could not open the WebSocket"),
            Expect(@"tcp\.refused.*root cause"),
            Expect("fix:"),
            new { exit = 60 },
        ], $"ws://127.0.0.1:{port}/");

        Assert.True(screen.Failed is null, $"step {screen.Failed} failed; screen:\n{screen.Output}");
        Assert.Equal(1, screen.Exit);
    }
}
