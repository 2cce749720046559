using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary>Subprotocol and origin negotiation as the Node and Python client libraries report it.</summary>
public sealed class HandshakeTests
{
    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task Subprotocol_TheSupportedOneOfTheOfferIsWhatTheClientGets(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport, "--subprotocol", "chat.v2");

        var run = await peer.RunAsync(serve.Scenario(SendText("x"), Receive(), Close(1000, "done")) with { Protocols = ["chat.v9", "chat.v2"] });

        Assert.Equal("chat.v2", (string?)run.Single("open")["protocol"]);
    }

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task Origin_ForeignIs403_AllowedByHostPatternOpens(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport, "--allow-origin", "*.example.test");

        var foreign = await peer.RunAsync(serve.Scenario(SendText("x")) with { Origin = "https://evil.invalid" });
        var allowed = await peer.RunAsync(serve.Scenario(SendText("from app"), Receive(), Close(1000, "done")) with { Origin = "https://app.example.test" });
        var none = await peer.RunAsync(serve.Scenario(SendText("no origin"), Receive(), Close(1000, "done")));

        Assert.True(foreign.RejectedStatus == 403, foreign.ToString());
        Assert.Equal("from app", allowed.Messages().Single().Text);
        Assert.Equal("no origin", none.Messages().Single().Text);
    }
}
