using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary><c>serve --token SECRET</c> with the non-browser clients: each way the contract accepts the token lets
/// the client in; no token (or a wrong one) is a 401 at the handshake, and the secret never reaches the log.</summary>
public sealed class TokenAuthTests
{
    private const string Secret = "s3cret-interop-7f2a";

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Wscat_WithBearerHeader_GetsTheEcho(Transport transport)
    {
        await using var serve = await Serve.StartAsync(transport, "--token", Secret);

        var run = await Wscat.ExecuteAsync(serve.Url, "authorised", [.. CaOption(serve), "-H", $"Authorization: Bearer {Secret}"]);

        Assert.True(run.Received.SequenceEqual(["authorised"]), run.ToString());
        AssertSecretNotLogged(serve);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Wscat_WithoutToken_Gets401(Transport transport)
    {
        await using var serve = await Serve.StartAsync(transport, "--token", Secret);

        var run = await Wscat.ExecuteAsync(serve.Url, "let me in", CaOption(serve));

        Assert.Empty(run.Received);
        Assert.True(run.ExitCode != 0 && run.Stderr.Contains("Unexpected server response: 401", StringComparison.Ordinal), run.ToString());
    }

    [SkippableFact]
    public async Task Wscat_WithWrongBearer_Gets401()
    {
        await using var serve = await Serve.StartAsync(Transport.Ws, "--token", Secret);

        var run = await Wscat.ExecuteAsync(serve.Url, "let me in", "-H", "Authorization: Bearer not-the-secret");

        Assert.True(run.Stderr.Contains("Unexpected server response: 401", StringComparison.Ordinal), run.ToString());
        AssertSecretNotLogged(serve);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Python_WithTokenCookie_IsLetIn_AndWithoutIt_Gets401(Transport transport)
    {
        var python = ScriptedClient.PythonWebsockets;
        python.Require();
        await using var serve = await Serve.StartAsync(transport, "--token", Secret);

        var withCookie = await python.RunAsync(serve.Scenario(SendText("cookie ok"), Receive(), Close(1000, "done")) with { Cookie = $"theme=dark; token={Secret}" });
        var without = await python.RunAsync(serve.Scenario(SendText("no cookie")));
        var wrong = await python.RunAsync(serve.Scenario(SendText("wrong cookie")) with { Cookie = "token=nope" });

        Assert.Equal("cookie ok", withCookie.Messages().Single().Text);
        Assert.True(without.RejectedStatus == 401, without.ToString());
        Assert.True(wrong.RejectedStatus == 401, wrong.ToString());
        AssertSecretNotLogged(serve);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task NodeWs_WithQueryToken_IsLetIn(Transport transport)
    {
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var serve = await Serve.StartAsync(transport, "--token", Secret);

        var run = await node.RunAsync(serve.Scenario($"token={Secret}", SendText("query ok"), Receive(), Close(1000, "done")));
        var without = await node.RunAsync(serve.Scenario("token=wrong", SendText("nope")));

        Assert.Equal("query ok", run.Messages().Single().Text);
        Assert.True(without.RejectedStatus == 401, without.ToString());
        AssertSecretNotLogged(serve);
    }

    private static string[] CaOption(Serve serve) => serve.Ca is null ? [] : ["--ca", serve.Ca];

    private static void AssertSecretNotLogged(Serve serve) =>
        Assert.False(serve.Output.Contains(Secret, StringComparison.Ordinal), $"serve logged the token in clear\n{serve}");
}
