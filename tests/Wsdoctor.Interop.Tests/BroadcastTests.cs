using System.Globalization;
using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary><c>--mode broadcast</c>: every message goes to every other client, in the order the server received
/// them, and never back to its sender.</summary>
public sealed class BroadcastTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task HundredNumberedMessages_ReachEveryOtherClientInOrder_AndNotTheSender(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--mode", "broadcast");
        var numbers = Enumerable.Range(1, 100).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();

        // B answers once it has all 100; the sender's first message must then be B's answer, which proves none of
        // its own 100 came back to it (they would have been queued before the answer).
        await using var b = node.Start(serve.Scenario(Receive(100), SendText("b got them all")));
        await using var c = node.Start(serve.Scenario(Receive(100)));
        await b.WaitForEventAsync("open", Wait);
        await c.WaitForEventAsync("open", Wait);
        await WaitForAcceptsAsync(serve, 2);
        var sender = await node.RunAsync(serve.Scenario([.. numbers.Select(n => SendText(n)), Receive(), Close(1000, "done")]));

        var atB = await ScriptedClient.FinishAsync(b);
        var atC = await ScriptedClient.FinishAsync(c);
        Assert.Equal(numbers, atB.Messages().Select(m => m.Text));
        Assert.Equal(numbers, atC.Messages().Select(m => m.Text));
        Assert.Equal("b got them all", sender.Messages().Single().Text);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task ThreeClientsSendingAtOnce_EachGetsTheOthersMessagesInEachSendersOrder(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--mode", "broadcast");
        const int PerSender = 50;
        string[] names = ["a", "b", "c"];

        var clients = new List<JsonLinesProcess>();
        try
        {
            foreach (var name in names)
            {
                var sends = Enumerable.Range(1, PerSender).Select(i => SendText($"{name}-{i}"));
                clients.Add(node.Start(serve.Scenario([WaitInput, .. sends, Receive(2 * PerSender), Close(1000, "done")])));
            }

            foreach (var client in clients)
            {
                await client.WaitForEventAsync("open", Wait);
            }

            await WaitForAcceptsAsync(serve, names.Length);
            foreach (var client in clients)
            {
                await client.WriteLineAsync("go", CancellationToken.None);
            }

            for (var i = 0; i < names.Length; i++)
            {
                var run = await ScriptedClient.FinishAsync(clients[i]);
                var received = run.Messages().Select(m => m.Text ?? "").ToList();
                Assert.True(received.Count == 2 * PerSender, $"{names[i]} received {received.Count}\n{run}");
                Assert.DoesNotContain(received, m => m.StartsWith(names[i] + "-", StringComparison.Ordinal));
                foreach (var other in names.Where(n => n != names[i]))
                {
                    var fromOther = received.Where(m => m.StartsWith(other + "-", StringComparison.Ordinal)).ToList();
                    Assert.Equal(Enumerable.Range(1, PerSender).Select(n => $"{other}-{n}"), fromOther);
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task ClientThatStopsReading_IsClosedWithSendQueueFull_WhileTheOthersCarryOn()
    {
        // Two live clients talk in lockstep (a sends 16 KiB, b answers "ack N", a sends the next): their pace is
        // their own, so they can never overflow a queue. Everything they say is also broadcast to a third client
        // that stopped reading; 1500 x 16 KiB (24 MiB) overflow its socket buffers and then its 32-message queue.
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(Transport.Ws, "--mode", "broadcast", "--send-queue", "32");
        const int Count = 1500;

        await using var stalled = node.Start(serve.Scenario(PauseReading, WaitInput, ResumeReading, WaitClose));
        await stalled.WaitForEventAsync("open", Wait);
        await using var b = node.Start(serve.Scenario(ReplyToEach(Count), Close(1000, "done")));
        await b.WaitForEventAsync("open", Wait);
        await WaitForAcceptsAsync(serve, 2);
        var a = await node.RunAsync(serve.Scenario(SendAwaitingReplies(Count, 16 * 1024), Close(1000, "done")));
        var atB = await ScriptedClient.FinishAsync(b);
        var closedStalled = await serve.WaitForEventAsync("close", Wait, l => l["code"] == "1008");
        await stalled.WriteLineAsync("resume", CancellationToken.None);
        var atStalled = await ScriptedClient.FinishAsync(stalled);

        Assert.Equal(Enumerable.Range(1, Count).Select(i => $"ack {i}"), a.Messages().Select(m => m.Text));
        Assert.Equal(a.Messages("sent").Select(m => m.Sha256), atB.Messages().Select(m => m.Sha256));
        Assert.True(closedStalled["reason"] == "send queue full", $"{closedStalled}\n{serve}");
        // What the stalled client finally reads: part of the traffic, then the server's 1008 (or, if the server
        // had to give up on the close handshake, an abnormal end).
        Assert.True(atStalled.Messages().Count < 2 * Count, atStalled.ToString());
        Assert.Contains(atStalled.Closed.Code, new[] { 1008, 1006 });
    }

    // The client's "open" can come a moment before the server has registered the connection for broadcasts;
    // the accept log line is the server's own word that it has.
    private static Task WaitForAcceptsAsync(Serve serve, int count) =>
        serve.WaitForEventCountAsync("accept", count, Wait);
}
