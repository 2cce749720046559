using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary>Close codes the server chooses (RFC 6455 section 7.4.1), as the client library reports them.</summary>
public sealed class ServerCloseCodeTests
{
    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task MessageOverMaxMessageSize_IsClosedWith1009(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport, "--max-message-size", "1k");

        // 1024 bytes is the limit: exactly that is fine, one byte more is not.
        var run = await peer.RunAsync(serve.Scenario(SendBinary(1024), Receive(), SendBinary(1025), WaitClose));

        Assert.Equal(1024, run.Messages().Single().Length);
        Assert.Equal(1009, run.Closed.Code);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task InvalidUtf8InATextMessage_IsClosedWith1007(Transport transport)
    {
        // Node ws sends a Buffer as a text frame without checking it: a buggy client, on purpose.
        var peer = ScriptedClient.NodeWs;
        peer.Require();
        await using var serve = await Serve.StartAsync(transport);

        var run = await peer.RunAsync(serve.Scenario(SendText("fine"), Receive(), SendRawText([0xC3, 0x28]), WaitClose));

        Assert.Equal("fine", run.Messages().Single().Text);
        Assert.Equal(1007, run.Closed.Code);
    }

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task Sigterm_ClosesClientsWith1001AndExitsZero(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport);
        await using var connected = peer.Start(serve.Scenario(SendText("before"), Receive(), WaitClose));
        await connected.WaitForAsync(e => (string?)e["event"] == "message", "the echo before shutdown", TimeSpan.FromSeconds(30));

        var exit = await serve.TerminateAsync(TimeSpan.FromSeconds(30));
        var run = await ScriptedClient.FinishAsync(connected);

        Assert.Equal((1001, "server shutting down"), run.Closed);
        Assert.True(exit == 0, $"serve exited {exit} after SIGTERM\n{serve}");
        Assert.Contains(serve.Log, l => l.Event == "shutdown");
        Assert.Contains(serve.Log, l => l.Event == "stopped");
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Sigterm_DeliversWhatWasAlreadyQueued_ThenCloses1001(Transport transport)
    {
        // The receiver has stopped reading, so at SIGTERM the server holds 200 x 16 KiB for it. The sender's ping
        // is answered only after the server read every message before it, so all 200 were queued by then; the
        // receiver, resumed after SIGTERM, must get all of them and only then the 1001.
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--mode", "broadcast", "--shutdown-timeout", "30s");
        const int Count = 200;
        await using var receiver = node.Start(serve.Scenario(PauseReading, WaitInput, ResumeReading, Receive(Count), WaitClose));
        await receiver.WaitForEventAsync("open", TimeSpan.FromSeconds(30));
        await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(30));
        await using var sender = node.Start(serve.Scenario([.. Enumerable.Range(0, Count).Select(i => SendBinary(16 * 1024, seed: i)), Ping("flushed"), WaitClose]));
        await sender.WaitForEventAsync("pong", TimeSpan.FromSeconds(60));

        serve.Process.Process.Signal(Wsdoctor.TestPeers.LongRunningProcess.SigTerm);
        await serve.WaitForEventAsync("shutdown", TimeSpan.FromSeconds(30));
        await receiver.WriteLineAsync("resume", CancellationToken.None);
        var received = await ScriptedClient.FinishAsync(receiver);
        var sent = await ScriptedClient.FinishAsync(sender);
        var exit = await serve.Process.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(sent.Messages("sent").Select(m => m.Sha256), received.Messages().Select(m => m.Sha256));
        Assert.Equal((1001, "server shutting down"), received.Closed);
        Assert.Equal(0, exit);
    }

    [SkippableFact]
    public async Task Sigterm_AClientThatStoppedReading_DoesNotHoldTheShutdownPastItsTimeout()
    {
        // The stalled client never reads the 1001, so it never answers it: --shutdown-timeout 1s must bound the
        // wait (the 30 s allowed here is only the test's own safety margin), and the exit is still graceful.
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(Transport.Ws, "--shutdown-timeout", "1s");
        await using var stalled = node.Start(serve.Scenario(PauseReading, Hold));
        await stalled.WaitForEventAsync("open", TimeSpan.FromSeconds(30));
        await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(30));

        var exit = await serve.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains(serve.Log, l => l.Event == "stopped");
    }
}
