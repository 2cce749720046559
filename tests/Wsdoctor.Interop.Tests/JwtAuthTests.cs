using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary><c>--jwt-secret</c>: HS256 tokens minted here (not by wsdoctor) presented by real clients.</summary>
public sealed class JwtAuthTests
{
    private const string Secret = "jwt-interop-secret-5d0e";

    [SkippableTheory]
    [InlineData("node", Transport.Ws)]
    [InlineData("node", Transport.Wss)]
    [InlineData("python", Transport.Ws)]
    [InlineData("python", Transport.Wss)]
    public async Task ValidJwtAsBearer_Opens_ExpiredOrForgedGets401(string client, Transport transport)
    {
        var peer = ScriptedClient.Named(client);
        peer.Require();
        await using var serve = await Serve.StartAsync(transport, "--jwt-secret", Secret);
        var valid = Hs256Jwt.Create(Secret, DateTimeOffset.UtcNow.AddHours(1));
        var expired = Hs256Jwt.Create(Secret, DateTimeOffset.UtcNow.AddHours(-1));
        var forged = Hs256Jwt.Create("some-other-secret", DateTimeOffset.UtcNow.AddHours(1));

        var withValid = await peer.RunAsync(WithBearer(serve.Scenario(SendText("jwt ok"), Receive(), Close(1000, "done")), valid));
        var withExpired = await peer.RunAsync(WithBearer(serve.Scenario(SendText("x")), expired));
        var withForged = await peer.RunAsync(WithBearer(serve.Scenario(SendText("x")), forged));

        Assert.Equal("jwt ok", withValid.Messages().Single().Text);
        Assert.True(withExpired.RejectedStatus == 401, withExpired.ToString());
        Assert.True(withForged.RejectedStatus == 401, withForged.ToString());
        Assert.False(serve.Output.Contains(valid.Split('.')[2], StringComparison.Ordinal), $"serve logged a JWT in clear\n{serve}");
    }

    private static ClientScenario WithBearer(ClientScenario scenario, string jwt) =>
        scenario with { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {jwt}" } };
}
