using Wsdoctor.Load.Idle;

namespace Wsdoctor.Load.Tests;

public class IdleLoadTests
{
    [Fact]
    public async Task OpenAsync_OpensExactlyN_AndTheServerHoldsThem()
    {
        await using var server = await EchoServer.StartAsync();

        var idle = await IdleLoad.OpenAsync(server.Target, new IdleLoadOptions { Connections = 150, ConnectConcurrency = 8, ConnectTimeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        try
        {
            Assert.Equal(150, idle.Requested);
            Assert.Equal(150, idle.Opened);
            Assert.Equal(0, idle.Errors);
            Assert.True(await server.WaitForOpenAsync(150, TimeSpan.FromSeconds(30)), $"server holds {server.OpenConnections}");
            Assert.Equal(150, server.Accepted);
            Assert.Equal(150, idle.Established);
        }
        finally
        {
            await idle.DisposeAsync();
        }

        Assert.Equal(150, idle.ClosedCleanly);
        Assert.True(await server.WaitForOpenAsync(0, TimeSpan.FromSeconds(30)));
        Assert.Equal(150, server.ClosedByClient);
    }

    [Fact]
    public async Task Established_ServerGoesAway_CountsTheLostConnections()
    {
        var server = await EchoServer.StartAsync();
        var idle = await IdleLoad.OpenAsync(server.Target, new IdleLoadOptions { Connections = 10, ConnectTimeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        try
        {
            Assert.Equal(10, idle.Established);

            await server.DisposeAsync();
            // Bounded wait for the pending receives to see the connections end.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (idle.Established > 0 && !cts.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }

            Assert.Equal(0, idle.Established);
            Assert.Equal(10, idle.Errors);
        }
        finally
        {
            await idle.DisposeAsync();
        }
    }
}
