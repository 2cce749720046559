using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary><c>--max-connections N</c>: the N+1-th handshake is refused with 503 and a Retry-After header, as the
/// clients see it; a slot freed by a leaving client is usable again.</summary>
public sealed class MaxConnectionsTests
{
    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task OneOverTheLimit_Gets503WithRetryAfter_AndAFreedSlotIsReused(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--max-connections", "2");
        await using var first = node.Start(serve.Scenario(Hold));
        await using var second = node.Start(serve.Scenario(Hold));
        await first.WaitForEventAsync("open", TimeSpan.FromSeconds(30));
        await second.WaitForEventAsync("open", TimeSpan.FromSeconds(30));

        var third = await node.RunAsync(serve.Scenario(SendText("no room")));
        var python = ScriptedClient.PythonWebsockets;
        python.Require();
        var fromPython = await python.RunAsync(serve.Scenario(SendText("no room either")));

        Assert.True(third.RejectedStatus == 503, third.ToString());
        var headers = third.Single("unexpected-response")["headers"]!.AsObject();
        Assert.True(headers["retry-after"] is not null, $"no Retry-After header\n{third}");
        Assert.True(fromPython.RejectedStatus == 503, fromPython.ToString());

        await first.DisposeAsync();
        await serve.WaitForEventAsync("close", TimeSpan.FromSeconds(30));
        var afterwards = await node.RunAsync(serve.Scenario(SendText("room now"), Receive(), Close(1000, "done")));
        Assert.Equal("room now", afterwards.Messages().Single().Text);
    }
}
