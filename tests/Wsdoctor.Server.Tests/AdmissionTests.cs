using System.Net.WebSockets;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class AdmissionTests
{
    [Fact]
    public async Task MaxConnections_OverLimit_503WithRetryAfter_FreedSlotReusable()
    {
        await using var server = await TestServer.StartAsync(new() { MaxConnections = 2 });
        using var one = await server.ConnectAsync();
        using var two = await server.ConnectAsync();

        using var third = await RawClient.ConnectAsync(server.Url);
        var response = await third.HandshakeAsync(server.Url);

        Assert.StartsWith("HTTP/1.1 503", response, StringComparison.Ordinal);
        Assert.Contains("Retry-After: ", response, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max_connections", ServeProcess.Field(await server.LineAsync("reject"), "reason"));

        await one.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
        await server.CloseLineAsync();
        using var again = await server.ConnectAsync();
        Assert.Equal(WebSocketState.Open, again.State);
    }

    [Fact]
    public async Task HandshakeArrivingDuringShutdown_503_NotASessionTheShutdownNeverCloses()
    {
        await using var server = await TestServer.StartAsync(new() { ShutdownTimeout = TimeSpan.FromSeconds(20) });

        // A client that never answers the 1001 holds the shutdown open; a second one connected before it began
        // sends its request only afterwards.
        using var holder = await RawClient.ConnectAsync(server.Url);
        Assert.StartsWith("HTTP/1.1 101", await holder.HandshakeAsync(server.Url), StringComparison.Ordinal);
        using var late = await RawClient.ConnectAsync(server.Url);
        await server.LineAsync("accept");

        var shutdown = server.Server.ShutdownAsync();
        await server.LineAsync("shutdown");
        Assert.Equal(1001, await holder.ReadCloseCodeAsync());

        Assert.StartsWith("HTTP/1.1 503", await late.HandshakeAsync(server.Url), StringComparison.Ordinal);
        Assert.Equal("shutting_down", ServeProcess.Field(await server.LineAsync("reject"), "reason"));
        Assert.False(shutdown.IsCompleted);
        holder.Dispose();
        await shutdown.WaitAsync(TestServer.Wait);
    }

    [Fact]
    public async Task MaxMessageSize_Exceeded_Closed1009()
    {
        await using var server = await TestServer.StartAsync(new() { MaxMessageSize = 1024 });
        using var client = await server.ConnectAsync();
        await client.SendAsync(new byte[1024], WebSocketMessageType.Binary);
        Assert.Equal(1024, (await client.ReceiveMessageAsync()).Payload.Length);

        await client.SendAsync(new byte[1025], WebSocketMessageType.Binary);

        var (type, _) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        Assert.Equal("1009", ServeProcess.Field(await server.CloseLineAsync(), "code"));
    }

    [Fact]
    public async Task HandshakeTimeout_SlowlorisHead_Dropped()
    {
        await using var server = await TestServer.StartAsync(new() { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        using var slow = await RawClient.ConnectAsync(server.Url);
        await slow.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"u8.ToArray());

        // The head never completes; Kestrel's RequestHeadersTimeout drops it (its heartbeat ticks once a second).
        Assert.True(await slow.ServerHungUpAsync(TimeSpan.FromSeconds(20)), "the server kept a half-sent request head open");
        var reject = await server.LineAsync("reject");
        Assert.Equal(("handshake_timeout", "408"), (ServeProcess.Field(reject, "reason"), ServeProcess.Field(reject, "status")));
        Assert.StartsWith("127.0.0.1:", ServeProcess.Field(reject, "remote"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compress_Offered_PermessageDeflateNegotiated_ElseNot()
    {
        await using var plain = await TestServer.StartAsync();
        await using var compressing = await TestServer.StartAsync(new() { Compress = true });

        foreach (var (server, expected) in new[] { (plain, false), (compressing, true) })
        {
            using var raw = await RawClient.ConnectAsync(server.Url);
            var response = await raw.HandshakeAsync(server.Url, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
            Assert.Equal(expected, response.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase));
        }

        using var client = await compressing.ConnectAsync(o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        await client.SendTextAsync(new string('z', 10_000));
        Assert.Equal(new string('z', 10_000), await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Subprotocol_FirstConfiguredThatClientOffers_Selected()
    {
        await using var server = await TestServer.StartAsync(new() { Subprotocols = ["v2", "v1"] });
        using var client = await server.ConnectAsync(o =>
        {
            o.AddSubProtocol("v1");
            o.AddSubProtocol("v2");
        });
        Assert.Equal("v2", client.SubProtocol);
    }
}
