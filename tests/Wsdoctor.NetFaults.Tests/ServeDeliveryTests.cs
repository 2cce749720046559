using System.Text.Json;
using Wsdoctor.TestPeers;

namespace Wsdoctor.NetFaults.Tests;

/// <summary><c>wsdoctor serve</c> behind a lossy, reordering, capped link: TCP repairs the packets, so at the WebSocket
/// level every message serve acknowledged (read and echoed) must come back, once, in order, byte for byte — measured
/// by Node <c>ws</c> (tests/peers/netfaults/echo-sequence.js) in the client's namespace, and by serve's own counters.</summary>
public sealed class ServeDeliveryTests
{
    private const int Messages = 2000;

    [SkippableTheory]
    [InlineData(1.0, 25.0, false)]
    [InlineData(5.0, 10.0, false)]
    [InlineData(3.0, 10.0, true)]
    public async Task Serve_UnderLossAndReorder_EchoesEveryMessageInOrder(double lossPercent, double reorderPercent, bool compress)
    {
        var script = Path.Combine(Peers.NodeProject, "netfaults", "echo-sequence.js");
        Peers.RequireNodeModule("ws");
        await using var link = await FaultyLink.CreateAsync(rateKbit: 8000);
        var (serve, url) = compress ? await link.StartServeAsync("--compress") : await link.StartServeAsync();
        await link.SetAsync(delayMs: 20, jitterMs: 15, lossPercent: lossPercent, reorderPercent: reorderPercent);

        var client = link.Start(link.ClientNamespace, Peers.Node, [script, url.ToString(), Messages.ToString(System.Globalization.CultureInfo.InvariantCulture), "1500", "32", "150000"]);
        var line = await client.Stdout.WaitForAsync(l => l.StartsWith('{'), TimeSpan.FromSeconds(170), "echo-sequence result");

        using var result = JsonDocument.Parse(line);
        var r = result.RootElement;
        Assert.True(r.GetProperty("received").GetInt32() == Messages, $"{line}\n{string.Join('\n', client.Stderr.Lines)}");
        Assert.Equal(Messages, r.GetProperty("inOrder").GetInt32());
        Assert.Equal(0, r.GetProperty("mismatches").GetArrayLength());
        Assert.Equal(1000, r.GetProperty("closeCode").GetInt32());

        // serve's own books agree: all N read, all N written, on that one connection.
        var close = await serve.Stderr.WaitForAsync(l => l.Contains("event=close", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "serve's close line");
        Assert.Equal(Messages.ToString(System.Globalization.CultureInfo.InvariantCulture), ServeProcess.Field(close, "in_msgs"));
        Assert.Equal(Messages.ToString(System.Globalization.CultureInfo.InvariantCulture), ServeProcess.Field(close, "out_msgs"));

        // The faults really happened (a link that lost nothing would make this test prove nothing).
        var stats = await link.StatsAsync();
        Assert.Matches("dropped=[1-9]", stats);
        Assert.Matches("reordered=[1-9]", stats);
    }
}
