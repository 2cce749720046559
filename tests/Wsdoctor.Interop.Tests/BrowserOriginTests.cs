using Wsdoctor.Interop.Tests.Drivers;

namespace Wsdoctor.Interop.Tests;

/// <summary>The origin policy and TLS trust as Chromium applies them: pages on other origins, on serve's own origin
/// (by IP, [::1] and localhost), an opaque origin, and a dev CA Chromium was never told to trust.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class BrowserOriginTests(ChromiumFixture chromium)
{
    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task CrossOriginPage_IsRefused_403InTheConsoleAndClose1006(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport);

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
        await using var serve = await chromium.StartServeAsync(transport);

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
    public async Task OpaqueOriginPage_OriginNull_IsRefusedWith403(Transport transport)
    {
        // A sandboxed page (CSP sandbox, like a sandboxed iframe) sends "Origin: null": an origin, not the server's own.
        await using var serve = await chromium.StartServeAsync(transport);

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
        await using var serve = await chromium.StartServeAsync(transport, "--listen", "[::1]:0");

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
    public async Task LocalhostListener_SameOriginLocalhostPage_Opens(Transport transport)
    {
        // --listen localhost:P is both loopbacks; the page and its WebSocket use the name, as a developer's would,
        // and over wss the dev certificate must carry DNS:localhost for Chromium to accept it.
        await using var serve = await chromium.StartServeAsync(transport, "--listen", "localhost:0");
        var url = new UriBuilder(serve.Url) { Host = "localhost" }.Uri;
        var page = await chromium.RunAsync(new BrowserCommand(url)
        {
            PageUrl = new UriBuilder(serve.HttpUrl("/healthz")) { Host = "localhost" }.Uri,
            Send = [new(Text: "via localhost")],
            Receive = 1,
            Close = new(1000, "done"),
        });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("via localhost", page.Messages().Single().Text);
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

        // The browser gives up inside the TLS handshake, before any HTTP request: serve can only say so itself.
        await serve.WaitForEventAsync("tls-error", TimeSpan.FromSeconds(20));
    }
}
