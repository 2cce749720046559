using Wsdoctor.Load.Connections;
using Wsdoctor.Load.Echo;
using Wsdoctor.Load.Idle;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Load.Tests;

/// <summary>The engine against the Node ws echo server the benchmark uses (bench/peers/ws-echo-server.js).</summary>
public class NodeWsTests
{
    private static async Task<(PeerProcess Peer, LoadTarget Target)> StartAsync()
    {
        var ws = Peers.RequireNodeModule("ws");
        var script = Path.Combine(Peers.NodeProject, "..", "..", "bench", "peers", "ws-echo-server.js");
        var (peer, line) = await PeerProcess.StartAsync(Peers.Node, [script, ws], TimeSpan.FromSeconds(30));
        Assert.StartsWith("listening ws://127.0.0.1:", line, StringComparison.Ordinal);
        return (peer, new LoadTarget(new Uri(line["listening ".Length..])));
    }

    [SkippableFact]
    public async Task EchoLoad_NodeWs_EveryEchoVerified()
    {
        var (peer, target) = await StartAsync();
        using var _ = peer;

        var result = await EchoLoad.RunAsync(target, new EchoLoadOptions
        {
            Connections = 4,
            MessageBytes = 1000,
            WarmUp = TimeSpan.FromMilliseconds(200),
            Duration = TimeSpan.FromMilliseconds(800),
            ConnectTimeout = TimeSpan.FromSeconds(20),
            StepTimeout = TimeSpan.FromSeconds(20),
        }, CancellationToken.None);

        Assert.Equal(0, result.Errors);
        Assert.Equal(4, result.ConnectionsOpened);
        Assert.True(result.Messages > 0);
    }

    [SkippableFact]
    public async Task IdleLoad_NodeWs_OpensExactlyN()
    {
        var (peer, target) = await StartAsync();
        using var _ = peer;

        var idle = await IdleLoad.OpenAsync(target, new IdleLoadOptions { Connections = 100, ConnectTimeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        await using (idle)
        {
            Assert.Equal(100, idle.Opened);
            Assert.Equal(100, idle.Established);
        }

        Assert.Equal(100, idle.ClosedCleanly);
    }
}
