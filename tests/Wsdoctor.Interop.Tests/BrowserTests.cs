using Wsdoctor.Interop.Tests.Drivers;

namespace Wsdoctor.Interop.Tests;

/// <summary>Headless Debian Chromium opening <c>new WebSocket(url, protocols)</c> from a page, over ws:// and wss://
/// (the dev CA trusted through the NSS database, no certificate-error flags). What is asserted is what the page's
/// WebSocket object and Chromium's console reported.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class BrowserTests(ChromiumFixture chromium)
{
    private const string Secret = "s3cret-browser-91c4";

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task AllowedOrigin_TextBinaryAndSixteenMegabytes_RoundTrip_ThenClose4001IsEchoed(Transport transport)
    {
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            Send = [new(Text: "héllo from Chromium ✓"), new(Binary: 1000), new(Text: ""), new(Binary: 16 * 1024 * 1024)],
            Receive = 4,
            Close = new(4001, "bye"),
        });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal(
            page.Messages("sent").Select(m => (m.Kind, m.Length, m.Sha256)),
            page.Messages().Select(m => (m.Kind, m.Length, m.Sha256)));
        Assert.Equal("héllo from Chromium ✓", page.Messages()[0].Text);
        Assert.Equal(4001, page.CloseCode);
        Assert.Equal("bye", (string?)page.Close["reason"]);
        Assert.True((bool)page.Close["wasClean"]!, page.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task CrossOriginPage_IsRefused_403InTheConsoleAndClose1006(Transport transport)
    {
        await using var serve = await StartAsync(transport);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "never sent")] });

        Assert.False(page.Opened, page.ToString());
        Assert.Equal(1006, page.CloseCode);
        Assert.False((bool)page.Close["wasClean"]!);
        Assert.True(page.Console.Any(c => c.Contains("Unexpected response code: 403", StringComparison.Ordinal)), page.ToString());
        var reject = await serve.WaitForEventAsync("reject", TimeSpan.FromSeconds(20));
        Assert.Equal("403", reject["status"]);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task SameOriginPage_FromServesOwnListener_Opens(Transport transport)
    {
        // The default policy lets a page whose origin is the server's own host:port in without --allow-origin.
        await using var serve = await StartAsync(transport);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            PageUrl = serve.HttpUrl("/healthz"),
            Send = [new(Text: "same origin")],
            Receive = 1,
            Close = new(1000, "done"),
        });

        Assert.Equal(serve.HttpUrl("/").GetLeftPart(UriPartial.Authority), page.PageOrigin);
        Assert.True(page.Opened, page.ToString());
        Assert.Equal("same origin", page.Messages().Single().Text);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Token_InTheQuery_Opens_AndWithoutIt_401InTheConsole(Transport transport)
    {
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret);

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
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret);

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
        await using var serve = await StartAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin, "--token", Secret);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Protocols = [$"bearer.{Secret}"], Send = [new(Text: "x")], Receive = 1, Close = new(1000, "done") });
        await serve.WaitForEventAsync("close", TimeSpan.FromSeconds(20));

        Assert.True(page.Opened, page.ToString());
        Assert.False(serve.Output.Contains(Secret, StringComparison.Ordinal), $"serve logged the token in clear\n{serve}");
    }

    [SkippableFact]
    public async Task Token_AsSubprotocolNextToTheAppProtocol_OpensWithTheAppProtocol()
    {
        await using var serve = await StartAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--subprotocol", "chat.v2");

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
    public async Task Compress_NegotiatesPermessageDeflateWithChromium(Transport transport)
    {
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--compress");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            Send = [new(Text: string.Concat(Enumerable.Repeat("compressible ", 50_000))), new(Binary: 100_000)],
            Receive = 2,
            Close = new(1000, "done"),
        });

        Assert.StartsWith("permessage-deflate", (string?)page.Find("open")?["extensions"], StringComparison.Ordinal);
        Assert.Equal(
            page.Messages("sent").Select(m => (m.Kind, m.Length, m.Sha256)),
            page.Messages().Select(m => (m.Kind, m.Length, m.Sha256)));
    }

    [SkippableFact]
    public async Task WithoutCompress_ChromiumGetsNoExtension()
    {
        await using var serve = await StartAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "x")], Receive = 1, Close = new(1000, "done") });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("", (string?)page.Find("open")!["extensions"]);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task MessageOverMaxMessageSize_ChromiumSeesClose1009(Transport transport)
    {
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--max-message-size", "1k");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Binary: 4096)] });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal(1009, page.CloseCode);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Sigterm_ChromiumSeesClose1001(Transport transport)
    {
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin);

        // No close and no expected messages: the page waits for whatever ends the connection.
        var page = chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "still here")] });
        await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(60));
        var exit = await serve.TerminateAsync(TimeSpan.FromSeconds(30));
        var result = await page;

        Assert.True(result.Opened, result.ToString());
        Assert.Equal(1001, result.CloseCode);
        Assert.Equal("server shutting down", (string?)result.Close["reason"]);
        Assert.Equal(0, exit);
    }

    [SkippableFact]
    public async Task DevCaNotInTheNssDatabase_ChromiumRefusesTheCertificate()
    {
        // The control for every wss test here: a dev CA of its own (not imported into $HOME/.pki/nssdb) fails, so
        // it is the NSS trust, not some leniency, that lets the other wss tests through.
        chromium.Require();
        await using var serve = await Serve.StartAsync(Transport.Wss, "--allow-origin", chromium.PageOrigin);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "never")] });

        Assert.False(page.Opened, page.ToString());
        Assert.Equal(1006, page.CloseCode);
        Assert.True(page.Console.Any(c => c.Contains("ERR_CERT_AUTHORITY_INVALID", StringComparison.Ordinal)), page.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task OpaqueOriginPage_OriginNull_IsRefusedWith403(Transport transport)
    {
        // A sandboxed page (CSP sandbox, like a sandboxed iframe) sends "Origin: null": an origin, not the server's own.
        await using var serve = await StartAsync(transport);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            PageUrl = new Uri(chromium.PageOrigin + "/sandboxed"),
            Send = [new(Text: "never sent")],
        });

        Assert.Equal("null", page.PageOrigin);
        Assert.False(page.Opened, page.ToString());
        Assert.True(page.Console.Any(c => c.Contains("Unexpected response code: 403", StringComparison.Ordinal)), page.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Ipv6SameOriginPage_Opens(Transport transport)
    {
        // Origin http://[::1]:P against Host [::1]:P: the brackets must not defeat the same-origin rule.
        chromium.Require();
        if (transport == Transport.Wss)
        {
            chromium.RequireTrustedDevCa();
        }

        await using var serve = await Serve.StartAsync(transport, ["--listen", "[::1]:0"], transport == Transport.Wss ? chromium.DevTlsDirectory : null);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url)
        {
            PageUrl = serve.HttpUrl("/healthz"),
            Send = [new(Text: "same origin over ::1")],
            Receive = 1,
            Close = new(1000, "done"),
        });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("same origin over ::1", page.Messages().Single().Text);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task CompressedMessageInflatingOverTheLimit_ChromiumSeesClose1009(Transport transport)
    {
        // 4 MiB of one repeated byte deflates to a few kilobytes on the wire; the limit is on the message.
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--compress", "--max-message-size", "1m");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "a", Repeat: 4 * 1024 * 1024)] });

        Assert.StartsWith("permessage-deflate", (string?)page.Find("open")?["extensions"], StringComparison.Ordinal);
        Assert.Equal(1009, page.CloseCode);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task AuthFirstMessage_TokenAsFirstMessage_ThenEchoes(Transport transport)
    {
        // The browser-friendly scheme: no secret in the URL or headers, the first message carries it.
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--auth-first-message");

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
        await using var serve = await StartAsync(transport, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--auth-first-message");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "hello, no token")] });

        Assert.True(page.Opened, page.ToString());
        Assert.Empty(page.Messages());
        Assert.Equal(1008, page.CloseCode);
    }

    [SkippableFact]
    public async Task AuthFirstMessage_Silence_IsClosed1008AfterTheHandshakeTimeout()
    {
        await using var serve = await StartAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin, "--token", Secret, "--auth-first-message", "--handshake-timeout", "1s");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url));

        Assert.True(page.Opened, page.ToString());
        Assert.Equal(1008, page.CloseCode);
    }

    private async Task<Serve> StartAsync(Transport transport, params string[] options)
    {
        chromium.Require();
        if (transport == Transport.Wss)
        {
            chromium.RequireTrustedDevCa();
        }

        return await Serve.StartAsync(transport, options, transport == Transport.Wss ? chromium.DevTlsDirectory : null);
    }
}
