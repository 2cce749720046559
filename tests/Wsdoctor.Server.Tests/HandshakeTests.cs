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
