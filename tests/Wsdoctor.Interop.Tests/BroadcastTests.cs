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
    public async Task ClientThatStopsReading_IsClosedWithSendQueueFull_AndTheOthersGetEverything()
    {
        // 1500 messages of 16 KiB (24 MiB) overflow the stalled client's socket buffers and then its 32-message
        // queue; the fast client must still get all of them, in order, without waiting for the slow one.
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(Transport.Ws, "--mode", "broadcast", "--send-queue", "32");
        const int Count = 1500;

        await using var slow = node.Start(serve.Scenario(PauseReading, WaitInput, ResumeReading, WaitClose));
        await using var fast = node.Start(serve.Scenario(Receive(Count)));
        await slow.WaitForEventAsync("open", Wait);
        await fast.WaitForEventAsync("open", Wait);
        await WaitForAcceptsAsync(serve, 2);
        var sender = node.Start(serve.Scenario([.. Enumerable.Range(0, Count).Select(i => SendBinary(16 * 1024, seed: i)), WaitInput, Close(1000, "done")]));
        await using (sender)
        {
            var atFast = await ScriptedClient.FinishAsync(fast);
            var closedSlow = await serve.WaitForEventAsync("close", Wait, l => l["code"] == "1008");
            await slow.WriteLineAsync("resume", CancellationToken.None);
            await sender.WriteLineAsync("finish", CancellationToken.None);
            var atSlow = await ScriptedClient.FinishAsync(slow);
            var sent = await ScriptedClient.FinishAsync(sender);

            Assert.Equal(
                sent.Messages("sent").Select(m => m.Sha256),
                atFast.Messages().Select(m => m.Sha256));
            Assert.True(closedSlow["reason"] == "send queue full", $"{closedSlow}\n{serve}");
            // What the stalled client finally reads: fewer messages than were sent, then the server's 1008 (or, if
            // the server had to give up on the close handshake, an abnormal end).
            Assert.True(atSlow.Messages().Count < Count, atSlow.ToString());
            Assert.Contains(atSlow.Closed.Code, new[] { 1008, 1006 });
        }
    }

    // The client's "open" can come a moment before the server has registered the connection for broadcasts;
    // the accept log line is the server's own word that it has.
    private static Task WaitForAcceptsAsync(Serve serve, int count) =>
        serve.WaitForEventCountAsync("accept", count, Wait);
}
