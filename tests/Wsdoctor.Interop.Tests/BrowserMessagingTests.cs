using System.Globalization;
using Wsdoctor.Interop.Tests.Drivers;
using static Wsdoctor.Interop.Tests.Drivers.ClientStep;

namespace Wsdoctor.Interop.Tests;

/// <summary>Messages, limits, shutdown and broadcast as a page in headless Chromium sees them, over ws:// and wss://
/// (the dev CA trusted through the NSS database in the fixture's HOME, no certificate-error flags).</summary>
[Collection(ChromiumCollection.Name)]
public sealed class BrowserMessagingTests(ChromiumFixture chromium)
{
    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task AllowedOrigin_TextBinaryAndSixteenMegabytes_RoundTrip_ThenClose4001IsEchoed(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin);

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
    public async Task Compress_NegotiatesPermessageDeflateWithChromium(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--compress");

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
        await using var serve = await chromium.StartServeAsync(Transport.Ws, "--allow-origin", chromium.PageOrigin);

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "x")], Receive = 1, Close = new(1000, "done") });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal("", (string?)page.Find("open")!["extensions"]);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task MessageOverMaxMessageSize_ChromiumSeesClose1009(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--max-message-size", "1k");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Binary: 4096)] });

        Assert.True(page.Opened, page.ToString());
        Assert.Equal(1009, page.CloseCode);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task CompressedMessageInflatingOverTheLimit_ChromiumSeesClose1009(Transport transport)
    {
        // 4 MiB of one repeated byte deflates to a few kilobytes on the wire; the limit is on the message.
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--compress", "--max-message-size", "1m");

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "a", Repeat: 4 * 1024 * 1024)] });

        Assert.StartsWith("permessage-deflate", (string?)page.Find("open")?["extensions"], StringComparison.Ordinal);
        Assert.Equal(1009, page.CloseCode);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Sigterm_ChromiumSeesClose1001(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin);

        // No close and no expected messages: the page waits for whatever ends the connection.
        var page = chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "still here")], TimeoutMs = 60_000 });
        await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(60));
        var exit = await serve.TerminateAsync(TimeSpan.FromSeconds(30));
        var result = await page;

        Assert.True(result.Opened, result.ToString());
        Assert.Equal(1001, result.CloseCode);
        Assert.Equal("server shutting down", (string?)result.Close["reason"]);
        Assert.Equal(0, exit);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task OverMaxConnections_ChromiumSees503InTheConsole(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--max-connections", "1");
        var node = ScriptedClient.NodeWs;
        node.Require();
        await using var holder = node.Start(serve.Scenario(Hold));
        await holder.WaitForEventAsync("open", TimeSpan.FromSeconds(30));

        var page = await chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "no room")] });

        Assert.False(page.Opened, page.ToString());
        Assert.Equal(1006, page.CloseCode);
        Assert.True(page.Console.Any(c => c.Contains("Unexpected response code: 503", StringComparison.Ordinal)), page.ToString());
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Broadcast_FromANodeSender_ReachesChromiumInOrder(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--mode", "broadcast");
        var node = ScriptedClient.NodeWs;
        node.Require();
        var numbers = Enumerable.Range(1, 100).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();

        var page = chromium.RunAsync(new BrowserCommand(serve.Url) { Receive = 100, Close = new(1000, "done") });
        await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(60));
        var sender = await node.RunAsync(serve.Scenario([.. numbers.Select(n => SendText(n)), Close(1000, "done")]));
        var result = await page;

        Assert.Equal(100, sender.All("sent").Count());
        Assert.Equal(numbers, result.Messages().Select(m => m.Text));
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task Keepalive_ChromiumAnswersPings_IsNotReaped(Transport transport)
    {
        // A Node client counting the server's pings is the clock: after 12 pings 250 ms apart (3 s, past the 2 s
        // pong deadline) the page must still be connected, so SIGTERM is what ends it (1001), not the reaper.
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--ping-interval", "250ms", "--ping-timeout", "2s");
        var node = ScriptedClient.NodeWs;
        node.Require();

        var page = chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "idle now")], TimeoutMs = 60_000 });
        await serve.WaitForEventAsync("accept", TimeSpan.FromSeconds(60));
        var clock = await node.RunAsync(serve.Scenario(WaitPings(12), Close(1000, "done")));
        Assert.True(clock.Find("pings") is not null, clock.ToString());
        var exit = await serve.TerminateAsync(TimeSpan.FromSeconds(30));
        var result = await page;

        Assert.Equal("idle now", result.Messages().Single().Text);
        Assert.Equal(1001, result.CloseCode);
        Assert.DoesNotContain(serve.Log, l => l.Event == "reaped");
        Assert.Equal(0, exit);
    }

    [SkippableTheory]
    [InlineData(Transport.Ws)]
    [InlineData(Transport.Wss)]
    public async Task StdioMode_StdinLineReachesThePage_AndThePagesMessageReachesStdout(Transport transport)
    {
        await using var serve = await chromium.StartServeAsync(transport, "--allow-origin", chromium.PageOrigin, "--mode", "stdio");

        var page = chromium.RunAsync(new BrowserCommand(serve.Url) { Send = [new(Text: "from the page")], Receive = 1, Close = new(1000, "done") });
        await serve.Process.Process.Stdout.WaitForAsync(l => l == "from the page", TimeSpan.FromSeconds(60), "the page's message on stdout");
        await serve.Process.Process.Stdin.WriteLineAsync("from stdin");
        await serve.Process.Process.Stdin.FlushAsync();
        var result = await page;

        Assert.Equal("from stdin", result.Messages().Single().Text);
        Assert.Equal(1000, result.CloseCode);
    }
}
