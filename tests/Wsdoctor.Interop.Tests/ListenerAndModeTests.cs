using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary>Listener address, path, keepalive and stdio mode, as third-party clients meet them.</summary>
public sealed class ListenerAndModeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task Ipv6Loopback_ListenUrlIsBracketedAndClientsConnect(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport, ["--listen", "[::1]:0"], null);

        Assert.Equal("[::1]", serve.Url.Host);
        var run = await peer.RunAsync(serve.Scenario(SendText("over ::1"), Receive(), Close(1000, "done")));

        Assert.Equal("over ::1", run.Messages().Single().Text);
    }

    [SkippableFact]
    public async Task Ipv6Loopback_WscatWithTheDevCa_GetsTheEcho()
    {
        // The dev certificate names ::1, so a client checking the name against [::1] accepts it.
        await using var serve = await Serve.StartAsync(Transport.Wss, ["--listen", "[::1]:0"], null);

        var run = await Wscat.ExecuteAsync(serve.Url, "over ::1 with TLS", "--ca", serve.Ca!);

        Assert.True(run.Received.SequenceEqual(["over ::1 with TLS"]), run.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task CustomPath_IsTheWebSocketEndpoint_AndOtherPathsGet404(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--path", "/chat");

        Assert.Equal("/chat", serve.Url.AbsolutePath);
        var onPath = await node.RunAsync(serve.Scenario(SendText("on /chat"), Receive(), Close(1000, "done")));
        var elsewhere = await node.RunAsync(new ClientScenario(new UriBuilder(serve.Url) { Path = "/other" }.Uri, [SendText("nope")]) { Ca = serve.Ca });

        Assert.Equal("on /chat", onPath.Messages().Single().Text);
        Assert.True(elsewhere.RejectedStatus == 404, elsewhere.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task KeepalivePings_AreSeenByNodeWs_AndItsPongsKeepItConnected(Transport transport)
    {
        // Twelve pings 250 ms apart take 3 s, past the first ping's 2 s pong deadline: a server that did not take
        // ws's automatic pongs into account would have reaped this live client by then. (2 s, not less, so a
        // loaded machine cannot make a live client look dead.)
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--ping-interval", "250ms", "--ping-timeout", "2s");

        var run = await node.RunAsync(serve.Scenario(WaitPings(12), SendText("still alive"), Receive(), Close(1000, "done")));

        Assert.True((int)run.Single("pings")["count"]! >= 12, run.ToString());
        Assert.Equal("still alive", run.Messages().Single().Text);
        Assert.Equal((1000, "done"), run.Closed);
        Assert.DoesNotContain(serve.Log, l => l.Event == "reaped");
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task StdioMode_ClientMessagesReachStdout_AndStdinLinesReachTheClient(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--mode", "stdio");
        await using var client = node.Start(serve.Scenario(SendText("to stdout"), SendRawBinary([0x01, 0xAB, 0xFF]), Receive(), Close(1000, "done")));
        await client.WaitForEventAsync("open", Wait);

        var text = await serve.Process.Process.Stdout.WaitForAsync(l => l == "to stdout", Wait, "the text message on stdout");
        var hex = await serve.Process.Process.Stdout.WaitForAsync(l => l.Equals("01abff", StringComparison.OrdinalIgnoreCase), Wait, "the binary message as hex on stdout");
        await serve.Process.Process.Stdin.WriteLineAsync("from stdin");
        await serve.Process.Process.Stdin.FlushAsync();
        var run = await ScriptedClient.FinishAsync(client);

        Assert.Equal("from stdin", run.Messages().Single().Text);
        Assert.Equal("text", run.Messages().Single().Kind);
    }
}
