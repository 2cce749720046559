using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary>`serve` (echo mode) with Node ws and Python websockets, over ws:// and over wss:// with the dev CA
/// trusted by the client. Every assertion is on what the client library itself observed.</summary>
public sealed class EchoRoundTripTests
{
    private const int SixteenMegabytes = 16 * 1024 * 1024;

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task TextBinaryEmptyAndSixteenMegabytes_ComeBackIntactAndSameType(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport);

        var run = await peer.RunAsync(serve.Scenario(
            SendText("héllo wörld ✓ 🧪"), Receive(),
            SendBinary(1000), Receive(),
            SendText(""), Receive(),
            SendBinary(0), Receive(),
            SendBinary(SixteenMegabytes, seed: 2), Receive(),
            SendTextOf(SixteenMegabytes), Receive(),
            Close(1000, "done")));

        Assert.True(run.Opened, run.ToString());
        var sent = run.Messages("sent").Select(m => (m.Kind, m.Length, m.Sha256)).ToList();
        var echoed = run.Messages().Select(m => (m.Kind, m.Length, m.Sha256)).ToList();
        Assert.Equal(6, sent.Count);
        Assert.Equal(sent, echoed);
        Assert.Equal("héllo wörld ✓ 🧪", run.Messages()[0].Text);
        Assert.Equal(SixteenMegabytes, run.Messages()[4].Length);
    }

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task FragmentedMessages_AreReassembledIntoOneMessageEach(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport);

        var run = await peer.RunAsync(serve.Scenario(
            SendTextOf(10_000, fragments: 5), Receive(),
            SendBinary(100_000, fragments: 7), Receive(),
            Close(1000, "done")));

        Assert.True(run.Opened, run.ToString());
        Assert.Equal([5, 7], run.All("sent").Select(e => (int)e["fragments"]!));
        Assert.Equal(
            run.Messages("sent").Select(m => (m.Kind, m.Length, m.Sha256)),
            run.Messages().Select(m => (m.Kind, m.Length, m.Sha256)));

        // The client reassembles whatever framing the echo used, so ask the server: it must have counted two
        // messages in, not twelve frames.
        var closed = await serve.WaitForEventAsync("close", TimeSpan.FromSeconds(20));
        Assert.True(closed["in_msgs"] == "2", $"serve counted in_msgs={closed["in_msgs"]}, expected 2\n{serve}");
        Assert.True(closed["in_bytes"] == "110000", $"serve counted in_bytes={closed["in_bytes"]}, expected 110000\n{serve}");
    }

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task Ping_IsAnsweredWithPongCarryingTheSamePayload(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport);

        var run = await peer.RunAsync(serve.Scenario(Ping("are-you-there-42"), Close(1000, "done")));

        Assert.Equal("are-you-there-42", (string?)run.Single("pong")["payload"]);
    }

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task ClientClosesWith4001Bye_ServerEchoesCodeAndReason(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport);

        var run = await peer.RunAsync(serve.Scenario(SendText("x"), Receive(), Close(4001, "bye")));

        Assert.Equal((4001, "bye"), run.Closed);
        var closed = await serve.WaitForEventAsync("close", TimeSpan.FromSeconds(20));
        Assert.True(closed["code"] == "4001" && closed["by"] == "client", $"serve's close line: {closed}\n{serve}");
    }
}
