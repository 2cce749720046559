using Wsdoctor.Interop.Tests.Drivers;

namespace Wsdoctor.Interop.Tests;

/// <summary>--token and --auth-first-message from a page: a browser cannot set headers, so the token travels in the
/// query, in Sec-WebSocket-Protocol, or in the first message.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class BrowserAuthTests(ChromiumFixture chromium)
{
    private const string Secret = "s3cret-browser-91c4";

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Token_InTheQuery_Opens_AndWithoutIt_401InTheConsole(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret);

        var withToken = await chromium.RunAsync(new BrowserCommand(new UriBuilder(serve.Url) { Query = $"token={Secret}" }.Uri)
        {
            Send = [new(Text: "query token")],
            Receive = 1,
            Close = new(1000, "done"),
        });
        var without = await chromium.RunAsync(new BrowserCommand(serve.Url));

        Assert.Equal("query token", withToken.Messages().Single().Text);
        Assert.False(without.Opened, without.ToString());
        Assert.Equal(1006, without.CloseCode);
        // Chromium's own words for a 401 to a WebSocket handshake (it has no credentials to retry with).
        Assert.True(without.Console.Any(c => c.Contains("HTTP Authentication failed", StringComparison.Ordinal)), without.ToString());
        var reject = await serve.WaitForEventAsync("reject", TimeSpan.FromSeconds(20));
        Assert.Equal("401", reject["status"]);
        Assert.False(serve.Output.Contains(Secret, StringComparison.Ordinal), $"serve logged the token in clear\n{serve}");
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Token_AsTheOnlyOfferedSubprotocol_Opens(Transport transport)
    {
        // A browser cannot set headers, so the token rides in Sec-WebSocket-Protocol. Chromium fails the connection
        // unless the server selects one of the offered protocols, so the server has to echo this one.
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            Protocols = [$"bearer.{Secret}"],
            Send = [new(Text: "subprotocol token")],
            Receive = 1,
            Close = new(1000, "done"),
        });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("subprotocol token", page.Messages().Single().Text);
    }

    [SkippableFact]
    public async Task Token_AsSubprotocol_IsNotLoggedInClear()
    {
        // Echoing the token-carrying protocol back is what makes Chromium accept the handshake, but the accept
        // log line reports the selected subprotocol: it must not print the secret there.
        await using var serve = await chromium.StartServeAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin, "--token", Secret);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Protocols = [$"bearer.{Secret}"], Send = [new(Text: "x")], Receive = 1, Close = new(1000, "done") });
        await serve.WaitForEventAsync("close", TimeSpan.FromSeconds(20));

        Assert.True(page.Opened, page.ToString());
        Assert.False(serve.Output.Contains(Secret, StringComparison.Ordinal), $"serve logged the token in clear\n{serve}");
    }

    [SkippableFact]
    public async Task Token_AsSubprotocolNextToTheAppProtocol_OpensWithTheAppProtocol()
    {
        await using var serve = await chromium.StartServeAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--subprotocol", "chat.v2");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            Protocols = ["chat.v2", $"bearer.{Secret}"],
            Send = [new(Text: "two protocols")],
            Receive = 1,
            Close = new(1000, "done"),
        });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("chat.v2", (string?)page.Find("open")!["protocol"]);
        Assert.Equal("two protocols", page.Messages().Single().Text);
        Assert.False(serve.Output.Contains(Secret, StringComparison.Ordinal), $"serve logged the token in clear\n{serve}");
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task AuthFirstMessage_TokenAsFirstMessage_ThenEchoes(Transport transport)
    {
        // The browser-friendly scheme: no secret in the URL or headers, the first message carries it.
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--auth-first-message");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            Send = [new(Text: $$"""{"token": "{{Secret}}"}"""), new(Text: "after auth")],
            Receive = 1,
            Close = new(1000, "done"),
        });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("after auth", page.Messages().Single().Text);
        Assert.Equal(1000, page.CloseCode);
        Assert.False(serve.Output.Contains(Secret, StringComparison.Ordinal), $"serve logged the token in clear\n{serve}");
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task AuthFirstMessage_WrongFirstMessage_ChromiumSeesClose1008(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--auth-first-message");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "hello, no token")] });

        Assert.True(page.Opened, page.ToString());
        Assert.Empty(page.Messages());
        Assert.Equal(1008, page.CloseCode);
    }

    [SkippableFact]
    public async Task AuthFirstMessage_Silence_IsClosed1008AfterTheHandshakeTimeout()
    {
        await using var serve = await chromium.StartServeAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--auth-first-message", "--handshake-timeout", "1s");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url));

        Assert.True(page.Opened, page.ToString());
        Assert.Equal(1008, page.CloseCode);
    }
}
