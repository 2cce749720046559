using Wsdoctor.TestPeers;

namespace Wsdoctor.Server.Tests;

public class PythonInteropTests
{
    [SkippableFact]
    public async Task Python_EchoFragmentedAndCloseCode()
    {
        await using var server = await TestServer.StartAsync(new() { Compress = true });

        var lines = await PythonClient.RunAsync(server.Url.ToString(), "--send", "hello", "--send", "", "--send-fragments", "a,b,c", "--expect", "3", "--close", "4002");

        Assert.Null(PythonClient.Error(lines));
        Assert.Equal(["hello", "", "abc"], lines.Where(l => l.TryGetProperty("recv", out _)).Select(l => l.GetProperty("recv").GetString()));
        Assert.Equal(4002, lines[^1].GetProperty("close").GetInt32());
        var accept = await server.LineAsync("accept");
        Assert.Contains("websockets", ServeProcess.Field(accept, "ua"), StringComparison.Ordinal);
        Assert.Contains("permessage-deflate", ServeProcess.Field(accept, "extensions"), StringComparison.Ordinal);
        Assert.Equal("4002", ServeProcess.Field(await server.CloseLineAsync(), "code"));
    }

    [SkippableFact]
    public async Task Heartbeat_PeerAnsweringPings_NotReaped()
    {
        await using var server = await TestServer.StartAsync(new() { PingInterval = TimeSpan.FromMilliseconds(250), PingTimeout = TimeSpan.FromSeconds(2) });

        // Idle for over two ping timeouts (generous ones: the box may be loaded): only the pongs keep it alive.
        var lines = await PythonClient.RunAsync(server.Url.ToString(), "--idle", "5", "--send", "still open", "--expect", "1");

        Assert.Null(PythonClient.Error(lines));
        Assert.Equal("still open", lines[1].GetProperty("recv").GetString());
        Assert.Equal("1000", ServeProcess.Field(await server.CloseLineAsync(), "code"));
        Assert.Equal(0, server.Server.Metrics.DeadPeers);
    }

    [SkippableFact]
    public async Task Python_TokenAsSubprotocol_ServerSelectsOne()
    {
        await using var server = await TestServer.StartAsync(new() { Token = "tok-123" });

        var lines = await PythonClient.RunAsync(server.Url.ToString(), "--subprotocol", "bearer", "--subprotocol", "tok-123", "--send", "x", "--expect", "1");

        Assert.Null(PythonClient.Error(lines));
        Assert.Equal("bearer", lines[0].GetProperty("open").GetString());
    }
}
