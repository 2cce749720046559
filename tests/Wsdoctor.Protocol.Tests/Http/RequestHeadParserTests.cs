using System.Text;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Protocol.Tests.Http;

public class RequestHeadParserTests
{
    private const string ChromeUpgrade =
        "GET /chat?room=42 HTTP/1.1\r\n" +
        "Host: example.com:8080\r\n" +
        "Connection: Upgrade\r\n" +
        "Pragma: no-cache\r\n" +
        "Cache-Control: no-cache\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n" +
        "Upgrade: websocket\r\n" +
        "Origin: https://example.com\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Accept-Language: en-US,en;q=0.9\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
        "\r\n";

    [Fact]
    public void Consume_ChromeUpgradeWithMaskedFrameAppended_CompleteAndFrameLeftToCaller()
    {
        byte[] frame =
        [
            0x81,                   // FIN + Text
            0x85,                   // MASK + length 5
            0x37, 0xFA, 0x21, 0x3D, // masking key (RFC 6455 5.7 example)
            0x7F, 0x9F, 0x4D, 0x51, 0x58, // "Hello" masked
        ];
        var (parser, feed) = Parse([.. Encoding.ASCII.GetBytes(ChromeUpgrade), .. frame]);

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal(ChromeUpgrade.Length, feed.Consumed);
        Assert.Equal(frame, feed.Rest);
        var head = parser.Head!;
        Assert.Equal("GET", head.Method);
        Assert.Equal("/chat?room=42", head.Target);
        Assert.Equal("1.1", head.HttpVersion);
        Assert.Equal(12, head.Headers.Count);
        Assert.True(head.HasToken("connection", "upgrade"));
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", head.Get("sec-websocket-key"));
        Assert.Equal(ChromeUpgrade, head.RawText);
    }

    [Fact]
    public void Consume_RequestFromUpgradeRequestBuild_RoundTrips()
    {
        var text = UpgradeRequest.Build("localhost:9000", "/ws", "AQIDBAUGBwgJCgsMDQ4PEA==", [new("Origin", "http://localhost:9000")]);
        var (parser, feed) = Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal("/ws", parser.Head!.Target);
        Assert.Equal(
            ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Origin"],
            parser.Head.Headers.Select(h => h.Name));
        Assert.Equal("13", parser.Head.Get("Sec-WebSocket-Version"));
    }

    [Fact]
    public void Consume_TlsClientHello_InvalidAfterFirstByte()
    {
        byte[] clientHello =
        [
            0x16,             // TLS record type 22: handshake
            0x03, 0x01,       // record version TLS 1.0 (as every ClientHello sends)
            0x00, 0xF8,       // record length
            0x01,             // handshake type 1: ClientHello
            0x00, 0x00, 0xF4, // handshake length
            0x03, 0x03,       // client version TLS 1.2
        ];
        var (parser, feed) = Parse(clientHello);

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(1, feed.Consumed);
        Assert.Equal("request line does not start with a method token followed by a space: first bytes 16 03 01 00 F8 01 00 00 F4 03 03", parser.Error);
    }

    [Fact]
    public void Consume_Http2Preface_InvalidNamingThePreface()
    {
        var (parser, feed) = Parse(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(16, feed.Consumed);
        Assert.Equal(
            "request line \"PRI * HTTP/2.0\" is the HTTP/2 connection preface (RFC 9113 3.4): the client speaks HTTP/2 with prior knowledge, not HTTP/1.1",
            parser.Error);
    }

    [Theory]
    [InlineData(" GET / HTTP/1.1\r\n\r\n", 1)]
    [InlineData("GE(T / HTTP/1.1\r\n\r\n", 3)]
    [InlineData("GET\r\n\r\n", 4)]
    public void Consume_BadMethodBytes_InvalidAtFirstWrongByte(string input, int consumed)
    {
        var (parser, feed) = Parse(Encoding.ASCII.GetBytes(input));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(consumed, feed.Consumed);
        Assert.StartsWith("request line does not start with a method token followed by a space: first bytes ", parser.Error);
    }

    [Theory]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n", "has whitespace or control bytes in its target")]
    [InlineData("GET  HTTP/1.1\r\n\r\n", "has whitespace or control bytes in its target")]
    [InlineData("GET / HTTP/1.1x\r\n\r\n", "is not \"METHOD SP target SP HTTP/d.d\"")]
    [InlineData("GET /\r\n\r\n", "is not \"METHOD SP target SP HTTP/d.d\"")]
    [InlineData("GET / http/1.1\r\n\r\n", "is not \"METHOD SP target SP HTTP/d.d\"")]
    public void Consume_MalformedRequestLine_Invalid(string input, string problem)
    {
        var (parser, feed) = Parse(Encoding.ASCII.GetBytes(input));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(input.IndexOf('\n') + 1, feed.Consumed);
        Assert.Contains(problem, parser.Error);
    }

    [Fact]
    public void Consume_HeaderWithoutColon_InvalidLikeResponses()
    {
        var (parser, feed) = Parse(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost example.com\r\n\r\n"));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.StartsWith("header line \"Host example.com\" has no ':'", parser.Error);
    }

    [Fact]
    public void Consume_HeadOverLimit_TooLargeNamingRequestHead()
    {
        var input = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nCookie: " + new string('c', 300) + "\r\n\r\n");
        var (parser, feed) = Parse(input, maxHeadBytes: 256);

        Assert.Equal(HeadParseStatus.TooLarge, feed.Status);
        Assert.Equal(257, feed.Consumed);
        Assert.StartsWith("request head is longer than 256 bytes", parser.Error);
    }

    private static (RequestHeadParser Parser, HeadFeed Feed) Parse(byte[] input, int maxHeadBytes = 65536) =>
        Replay.Identical(
            input,
            chunks =>
            {
                var parser = new RequestHeadParser(maxHeadBytes);
                return (parser, HeadFeed.Run(chunks, parser.Consume));
            },
            result => $"{result.Item2.Describe()}\n{result.Item1.BytesReceived}\n{result.Item1.Error}\n{result.Item1.Head?.Method} {result.Item1.Head?.Target} {result.Item1.Head?.HttpVersion}\n{HeadFeed.Describe(result.Item1.Head)}");
}
