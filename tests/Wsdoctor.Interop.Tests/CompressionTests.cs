using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary><c>--compress</c>: permessage-deflate (RFC 7692) is negotiated only when enabled, and compressed
/// messages still round-trip intact.</summary>
public sealed class CompressionTests
{
    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task NodeWs_WithCompress_NegotiatesPermessageDeflate_AndRoundTrips(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--compress");

        var run = await node.RunAsync(serve.Scenario(SendTextOf(1_000_000), Receive(), SendBinary(300_000), Receive(), Close(1000, "done")));

        Assert.StartsWith("permessage-deflate", (string?)run.Single("open")["extensions"], StringComparison.Ordinal);
        Assert.Equal(
            run.Messages("sent").Select(m => (m.Kind, m.Length, m.Sha256)),
            run.Messages().Select(m => (m.Kind, m.Length, m.Sha256)));
        var accept = await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(20));
        Assert.True(accept["extensions"]?.Contains("permessage-deflate", StringComparison.Ordinal) == true, $"{accept}\n{serve}");
    }

    [SkippableFact]
    public async Task NodeWs_WithoutCompress_NegotiatesNoExtension()
    {
        // Control: ws offers permessage-deflate by default, so the flag is what makes the difference above.
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(Transport.Ws);

        var run = await node.RunAsync(serve.Scenario(SendText("plain"), Receive(), Close(1000, "done")));

        Assert.Equal("", (string?)run.Single("open")["extensions"]);
        Assert.Equal("plain", run.Messages().Single().Text);
    }

    [SkippableFact]
    public async Task Python_WithCompress_NegotiatesPermessageDeflate()
    {
        var python = ScriptedClient.PythonWebsockets;
        python.Require();
        await using var serve = await Serve.StartAsync(Transport.Ws, "--compress");

        var run = await python.RunAsync(serve.Scenario(SendTextOf(200_000), Receive(), Close(1000, "done")));

        Assert.Equal("PerMessageDeflate", (string?)run.Single("open")["extensions"]);
        Assert.Equal(run.Messages("sent").Single().Sha256, run.Messages().Single().Sha256);
    }

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task CompressedMessageInflatingOverTheLimit_IsClosedWith1009(string client, Transport transport)
    {
        // 4 MiB of one repeated byte deflates to a few kilobytes: the limit must apply to the inflated message,
        // or a tiny frame could make the server allocate without bound.
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport, "--compress", "--max-message-size", "1m");

        var run = await peer.RunAsync(serve.Scenario(SendRepeated("a", 1000), Receive(), SendRepeated("a", 4 * 1024 * 1024), WaitClose));

        Assert.NotEqual("", (string?)run.Single("open")["extensions"]);
        Assert.Equal(1000, run.Messages().Single().Length);
        Assert.Equal(1009, run.Closed.Code);
    }
}
