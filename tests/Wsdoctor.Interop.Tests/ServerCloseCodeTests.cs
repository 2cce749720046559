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
}
