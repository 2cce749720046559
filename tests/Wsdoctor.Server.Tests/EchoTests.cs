using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class EchoTests
{
    [Fact]
    public async Task Echo_TextBinaryEmpty_SameTypeInOrder()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.ConnectAsync();

        await client.SendTextAsync("héllo");
        await client.SendAsync([0, 1, 2, 255], WebSocketMessageType.Binary);
        await client.SendAsync([], WebSocketMessageType.Text);
        await client.SendAsync([], WebSocketMessageType.Binary);

        Assert.Equal("héllo", await client.ReceiveTextAsync());
        var binary = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, binary.Payload);
        var emptyText = await client.ReceiveMessageAsync();
        Assert.Equal((WebSocketMessageType.Text, 0), (emptyText.Type, emptyText.Payload.Length));
        var emptyBinary = await client.ReceiveMessageAsync();
        Assert.Equal((WebSocketMessageType.Binary, 0), (emptyBinary.Type, emptyBinary.Payload.Length));
    }

    [Fact]
    public async Task Echo_SixteenMegabytes_ComesBackWhole()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.ConnectAsync();
        var payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);

        var send = client.SendAsync(payload, WebSocketMessageType.Binary);
        var (type, echoed) = await client.ReceiveMessageAsync(TimeSpan.FromSeconds(60));
        await send;

        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.True(payload.AsSpan().SequenceEqual(echoed), $"echo differs: {echoed.Length} bytes back");
    }

    [Fact]
    public async Task Echo_FragmentedMessage_ReassembledAndEchoedAsOne()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.ConnectAsync();
        using var cts = new CancellationTokenSource(TestServer.Wait);

        await client.SendAsync("frag"u8.ToArray(), WebSocketMessageType.Text, false, cts.Token);
        await client.SendAsync("men"u8.ToArray(), WebSocketMessageType.Text, false, cts.Token);
        await client.SendAsync("ted"u8.ToArray(), WebSocketMessageType.Text, true, cts.Token);

        // One receive call returning the whole message with EndOfMessage proves it was sent as one frame.
        var buffer = new byte[1024];
        var result = await client.ReceiveAsync(buffer, cts.Token);
        Assert.True(result.EndOfMessage);
        Assert.Equal("fragmented", Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    [Fact]
    public async Task Close_ClientCode_EchoedBackAndLogged()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await server.ConnectAsync();
        await client.SendTextAsync("before close");
        Assert.Equal("before close", await client.ReceiveTextAsync());

        await client.CloseAsync((WebSocketCloseStatus)4001, "client done");

        Assert.Equal(4001, (int)client.CloseStatus!.Value);
        var close = await server.CloseLineAsync();
        Assert.Equal("4001", ServeProcess.Field(close, "code"));
        Assert.Equal("client done", ServeProcess.Field(close, "reason"));
        Assert.Equal("client", ServeProcess.Field(close, "by"));
        Assert.Equal("1", ServeProcess.Field(close, "in_msgs"));
        Assert.Equal("12", ServeProcess.Field(close, "out_bytes"));
    }

    [Fact]
    public async Task Http_GetOnWebSocketPath_426WithHowToConnect_OtherPath404()
    {
        await using var server = await TestServer.StartAsync(new() { Path = "/ws" });
        using var http = new HttpClient { Timeout = TestServer.Wait };

        var upgradeNeeded = await http.GetAsync(server.Http("/ws"));
        Assert.Equal(426, (int)upgradeNeeded.StatusCode);
        Assert.Contains("WebSocket endpoint", await upgradeNeeded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(404, (int)(await http.GetAsync(server.Http("/other"))).StatusCode);

        var wrongPath = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(url: new Uri(server.Url, "/nope")));
        Assert.Contains("404", wrongPath.Message, StringComparison.Ordinal);
    }
}
