using System.Net.WebSockets;
using Wsdoctor.Server.Hosting;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class BroadcastTests
{
    [Fact]
    public async Task Broadcast_EveryOtherClient_InReceiveOrder_NotTheSender()
    {
        await using var server = await TestServer.StartAsync(new() { Mode = ServeMode.Broadcast });
        using var a = await server.ConnectAsync();
        using var b = await server.ConnectAsync();
        using var c = await server.ConnectAsync();
        await server.Log.WaitForAsync(l => ServeProcess.Field(l, "conn") == "3", TestServer.Wait, "third accept");

        for (var i = 0; i < 50; i++)
        {
            await a.SendTextAsync($"a{i}");
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"a{i}", await b.ReceiveTextAsync());
            Assert.Equal($"a{i}", await c.ReceiveTextAsync());
        }

        await b.SendTextAsync("from b");
        Assert.Equal("from b", await c.ReceiveTextAsync());
        Assert.Equal("from b", await a.ReceiveTextAsync());

        // Had a's own messages come back to it, they would arrive before "from b"; had b's, before "last".
        await a.SendTextAsync("last");
        Assert.Equal("last", await b.ReceiveTextAsync());
    }

    [Fact]
    public async Task Broadcast_ClientThatNeverReads_ClosedAsSlow_OthersKeepReceiving()
    {
        await using var server = await TestServer.StartAsync(new() { Mode = ServeMode.Broadcast, SendQueue = 8 });
        using var stalled = await RawClient.ConnectAsync(server.Url);
        Assert.StartsWith("HTTP/1.1 101", await stalled.HandshakeAsync(server.Url), StringComparison.Ordinal);
        using var sender = await server.ConnectAsync();
        using var reader = await server.ConnectAsync();
        await server.Log.WaitForAsync(l => ServeProcess.Field(l, "conn") == "3", TestServer.Wait, "third accept");

        // 64 KiB messages fill the stalled client's socket buffers, then its queue of 8.
        var payload = new byte[64 * 1024];
        var slowClosed = server.Log.WaitForAsync(l => l.Contains(" event=close ", StringComparison.Ordinal) && ServeProcess.Field(l, "conn") == "1", TestServer.Wait, "close of the stalled client");
        var sent = 0;
        for (; sent < 2000 && !slowClosed.IsCompleted; sent++)
        {
            await sender.SendAsync(payload, WebSocketMessageType.Binary);
            var (type, got) = await reader.ReceiveMessageAsync();
            Assert.Equal((WebSocketMessageType.Binary, payload.Length), (type, got.Length));
        }

        var close = await slowClosed;
        Assert.Equal("1008", ServeProcess.Field(close, "code"));
        Assert.Equal("send queue full", ServeProcess.Field(close, "reason"));

        // The others were never held up, and still work after.
        await sender.SendTextAsync("after");
        Assert.Equal("after", await reader.ReceiveTextAsync());
    }
}
