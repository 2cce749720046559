using System.Net.WebSockets;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class LimitsTests
{
    [Fact]
    public async Task InvalidUtf8_Text_Closed1007AndLogged()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawClient.ConnectAsync(server.Url);
        Assert.StartsWith("HTTP/1.1 101", await raw.HandshakeAsync(server.Url), StringComparison.Ordinal);

        await raw.SendAsync(FrameWriter.Build(Opcode.Text, [0xC3, 0x28], mask: true));

        Assert.Equal(1007, await raw.ReadCloseCodeAsync());
        var close = await server.CloseLineAsync();
        Assert.Equal("1007", ServeProcess.Field(close, "code"));
    }

    [Fact]
    public async Task Heartbeat_PeerNeverAnswersPings_ReapedAndCounted()
    {
        await using var server = await TestServer.StartAsync(new() { PingInterval = TimeSpan.FromMilliseconds(300), PingTimeout = TimeSpan.FromMilliseconds(600) });
        using var raw = await RawClient.ConnectAsync(server.Url);
        Assert.StartsWith("HTTP/1.1 101", await raw.HandshakeAsync(server.Url), StringComparison.Ordinal);

        // The raw client never reads and never answers a ping.
        var reaped = await server.LineAsync("reaped");

        Assert.Equal("1", ServeProcess.Field(reaped, "conn"));
        var close = await server.CloseLineAsync();
        Assert.Equal("ping timeout", ServeProcess.Field(close, "reason"));
        Assert.Equal(1, server.Server.Metrics.DeadPeers);
    }
}
