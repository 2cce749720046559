using System.Text;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Server.Tests;

/// <summary>The two handshake rules serve enforces beyond Kestrel (found by wsdoctor conform cases 0.2.1 and 0.9.1).</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task Upgrade_Http10_400AndNoUpgrade()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await RawClient.ConnectAsync(server.Url);

        await client.SendAsync(Encoding.ASCII.GetBytes(Request(server.Url, "1.0", "13")));
        var head = await client.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 400", head, StringComparison.Ordinal);
        var reject = await server.Log.WaitForAsync(l => l.Contains("event=reject", StringComparison.Ordinal), TestServer.Wait, "reject line");
        Assert.Contains("reason=http_version", reject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_UnknownVersion_426NamingVersion13()
    {
        await using var server = await TestServer.StartAsync();
        using var client = await RawClient.ConnectAsync(server.Url);

        await client.SendAsync(Encoding.ASCII.GetBytes(Request(server.Url, "1.1", "99")));
        var head = await client.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 426", head, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Version: 13\r\n", head, StringComparison.OrdinalIgnoreCase);
    }

    private static string Request(Uri url, string httpVersion, string wsVersion) =>
        $"GET {url.PathAndQuery} HTTP/{httpVersion}\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {HandshakeKeys.NewKey()}\r\nSec-WebSocket-Version: {wsVersion}\r\n\r\n";
}

/// <summary>RFC 7692 5: serve --compress declines permessage-deflate offers it must decline (conform case 0.8.4).</summary>
public sealed class DeflateOfferTests
{
    [Theory]
    [InlineData("permessage-deflate; x_unknown")]
    [InlineData("permessage-deflate; server_max_window_bits=7")]
    [InlineData("permessage-deflate; client_max_window_bits; client_max_window_bits")]
    public async Task Compress_InvalidOffer_Declined(string offer)
    {
        await using var server = await TestServer.StartAsync(new() { Compress = true });
        using var client = await RawClient.ConnectAsync(server.Url);

        var head = await client.HandshakeAsync(server.Url, $"Sec-WebSocket-Extensions: {offer}");

        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Compress_InvalidThenValidOffer_ValidOneAccepted()
    {
        await using var server = await TestServer.StartAsync(new() { Compress = true });
        using var client = await RawClient.ConnectAsync(server.Url);

        var head = await client.HandshakeAsync(server.Url, "Sec-WebSocket-Extensions: permessage-deflate; x_unknown, permessage-deflate; client_max_window_bits");

        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate", head, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("permessage-deflate; x_unknown", "")]
    [InlineData("x-other, permessage-deflate; server_max_window_bits=16", "x-other")]
    [InlineData("permessage-deflate; client_max_window_bits=09", "")]
    public void Filter_DropsOnlyInvalidDeflateOffers(string offered, string kept) =>
        Assert.Equal(kept, Wsdoctor.Server.Handshake.DeflateOfferFilter.Filter([offered]));

    [Fact]
    public void Filter_ValidOffers_Unchanged() =>
        Assert.Null(Wsdoctor.Server.Handshake.DeflateOfferFilter.Filter(["permessage-deflate; client_max_window_bits, permessage-deflate; server_no_context_takeover; server_max_window_bits=10"]));
}
