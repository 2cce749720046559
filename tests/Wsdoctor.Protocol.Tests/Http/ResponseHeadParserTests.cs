using System.Text;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Protocol.Tests.Http;

public class ResponseHeadParserTests
{
    private const string Nginx400Head =
        "HTTP/1.1 400 Bad Request\r\n" +
        "Server: nginx/1.24.0\r\n" +
        "Date: Sat, 21 Nov 2026 09:47:03 GMT\r\n" +
        "Content-Type: text/html\r\n" +
        "Content-Length: 157\r\n" +
        "Connection: close\r\n" +
        "\r\n";

    private const string Nginx400Body =
        "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n" +
        "<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n";

    private const string Switching101Head =
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
        "\r\n";

    [Fact]
    public void Consume_Nginx400WithHtmlBody_CompleteAndBodyLeftToCaller()
    {
        var (parser, feed) = Parse(Ascii(Nginx400Head + Nginx400Body));

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal(Nginx400Head.Length, feed.Consumed);
        Assert.Equal(Nginx400Body, Encoding.ASCII.GetString(feed.Rest));
        var head = parser.Head!;
        Assert.Equal("1.1", head.HttpVersion);
        Assert.Equal(400, head.StatusCode);
        Assert.Equal("Bad Request", head.Reason);
        Assert.Equal(5, head.Headers.Count);
        Assert.Equal("nginx/1.24.0", head.Get("server"));
        Assert.Equal("157", head.Get("Content-Length"));
        Assert.Equal(Nginx400Head, head.RawText);
        Assert.Equal(Nginx400Head.Length, parser.BytesReceived);
        Assert.Null(parser.Error);
    }

    [Fact]
    public void Consume_101WithFramesAppended_ConsumedStopsAtBlankLineAndFramesStillParse()
    {
        byte[] frames =
        [
            0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F, // FIN + Text, unmasked, length 5, "Hello"
            0x89, 0x00,                               // FIN + Ping, unmasked, length 0
        ];
        var (parser, feed) = Parse([.. Ascii(Switching101Head), .. frames]);

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal(Switching101Head.Length, feed.Consumed);
        Assert.Equal(frames, feed.Rest);
        Assert.Equal(101, parser.Head!.StatusCode);
        Assert.True(parser.Head.HasToken("Connection", "upgrade"));
        Assert.Equal(HandshakeKeys.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="), parser.Head.Get("Sec-WebSocket-Accept"));

        var events = new List<FrameEvent>();
        new FrameReader().Consume(feed.Rest, events);
        Assert.Equal("Hello", Encoding.UTF8.GetString(Assert.IsType<MessageReceived>(events[0]).Payload));
        Assert.IsType<PingReceived>(events[1]);
    }

    [Fact]
    public void Consume_BareLfLineEndings_Complete()
    {
        const string head = "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n";
        byte[] frame =
        [
            0x81, // FIN + Text
            0x00, // no MASK, length 0
        ];
        var (parser, feed) = Parse([.. Ascii(head), .. frame]);

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal(head.Length, feed.Consumed);
        Assert.Equal(frame, feed.Rest);
        Assert.Equal("Switching Protocols", parser.Head!.Reason);
        Assert.Equal("websocket", parser.Head.Get("Upgrade"));
        Assert.Equal(head, parser.Head.RawText);
    }

    [Fact]
    public void Consume_ObsFoldContinuationLines_JoinedWithOneSpace()
    {
        var (parser, feed) = Parse(Ascii(
            "HTTP/1.1 200 OK\r\n" +
            "X-Long: first  \r\n" +
            "   second\r\n" +
            "\tthird\r\n" +
            "Server: folded-test\r\n" +
            "\r\n"));

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal("first second third", parser.Head!.Get("X-Long"));
        Assert.Equal(2, parser.Head.Headers.Count);
        Assert.Equal("folded-test", parser.Head.Get("Server"));
    }

    [Fact]
    public void Consume_ManyHeadersWithDuplicates_AllKeptInOrder()
    {
        var text = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 150; i++)
        {
            text.Append($"X-Header-{i}:value-{i}\r\n");
        }

        text.Append("Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2\r\nVary: Origin\r\nVary:  Accept-Encoding \r\n\r\n");
        var (parser, feed) = Parse(Ascii(text.ToString()));

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        var head = parser.Head!;
        Assert.Equal(154, head.Headers.Count);
        Assert.Equal(new HttpHeader("X-Header-0", "value-0"), head.Headers[0]);
        Assert.Equal(new HttpHeader("X-Header-149", "value-149"), head.Headers[149]);
        Assert.Equal(["a=1; Path=/", "b=2"], head.GetAll("set-cookie"));
        Assert.Equal("Origin, Accept-Encoding", head.Get("Vary"));
    }

    [Theory]
    [InlineData("HTTP/1.1 101\r\n\r\n", "1.1", 101, "")]
    [InlineData("HTTP/1.1 204 \r\n\r\n", "1.1", 204, "")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n", "1.0", 200, "OK")]
    [InlineData("HTTP/1.1 403 Forbidden by policy\r\n\r\n", "1.1", 403, "Forbidden by policy")]
    public void Consume_StatusLineVariants_Parsed(string head, string version, int status, string reason)
    {
        var (parser, feed) = Parse(Ascii(head));

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal(version, parser.Head!.HttpVersion);
        Assert.Equal(status, parser.Head.StatusCode);
        Assert.Equal(reason, parser.Head.Reason);
        Assert.Empty(parser.Head.Headers);
    }

    [Fact]
    public void Consume_TlsAlert_InvalidAfterFirstByte()
    {
        byte[] alert =
        [
            0x15,       // TLS record type 21: alert
            0x03, 0x01, // record version TLS 1.0
            0x00, 0x02, // record length 2
            0x02,       // alert level: fatal
            0x28,       // alert description 40: handshake_failure
        ];
        var (parser, feed) = Parse(alert);

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(1, feed.Consumed);
        Assert.Equal("status line does not start with \"HTTP/\": first bytes 15 03 01 00 02 02 28", parser.Error);
        Assert.Null(parser.Head);
    }

    [Fact]
    public void Consume_FirstByteOnlyOfTlsAlert_InvalidWithoutWaitingForMore()
    {
        var parser = new ResponseHeadParser();

        Assert.Equal(HeadParseStatus.Invalid, parser.Consume([0x15], out int consumed));
        Assert.Equal(1, consumed);
        Assert.Equal("status line does not start with \"HTTP/\": first bytes 15", parser.Error);
    }

    [Fact]
    public void Consume_Http2ConnectionPreface_InvalidAfterFirstByteAndQuotedAsText()
    {
        var (parser, feed) = Parse(Ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(1, feed.Consumed);
        Assert.Equal(
            "status line does not start with \"HTTP/\": first bytes 50 52 49 20 2A 20 48 54 54 50 2F 32 2E 30 0D 0A (\"PRI * HTTP/2.0\\r\\n\")",
            parser.Error);
    }

    [Fact]
    public void Consume_Http2SettingsFrame_InvalidAfterFirstByte()
    {
        byte[] settings =
        [
            0x00, 0x00, 0x06, // frame length 6
            0x04,             // type SETTINGS
            0x00,             // flags
            0x00, 0x00, 0x00, 0x00, // stream 0
            0x00, 0x03, 0x00, 0x00, 0x00, 0x64, // SETTINGS_MAX_CONCURRENT_STREAMS = 100
        ];
        var (parser, feed) = Parse(settings);

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(1, feed.Consumed);
        Assert.EndsWith("first bytes 00 00 06 04 00 00 00 00 00 00 03 00 00 00 64", parser.Error);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", 1)]
    [InlineData("HTTX/1.1 200 OK\r\n\r\n", 4)]
    [InlineData("HTTPS/1.1 200 OK\r\n\r\n", 5)]
    [InlineData("http/1.1 200 OK\r\n\r\n", 1)]
    [InlineData("\r\nHTTP/1.1 200 OK\r\n\r\n", 1)]
    public void Consume_GarbageBeforeAnyNewline_InvalidAtFirstWrongByte(string input, int consumed)
    {
        var (parser, feed) = Parse(Ascii(input));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.Equal(consumed, feed.Consumed);
        Assert.StartsWith("status line does not start with \"HTTP/\": first bytes ", parser.Error);
    }

    [Theory]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", 16, "status line \"HTTP/1.1 20 OK\" is not")]
    [InlineData("HTTP/1.1 abc\r\n\r\n", 14, "status line \"HTTP/1.1 abc\" is not")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", 18, "status line \"HTTP/1.1 2000 OK\" is not")]
    [InlineData("HTTP/1.1\r\n\r\n", 10, "status line \"HTTP/1.1\" is not")]
    [InlineData("HTTP/11 200 OK\r\n\r\n", 16, "status line \"HTTP/11 200 OK\" is not")]
    [InlineData("HTTP/1.1 200 OK\r\nServer nginx\r\n\r\n", 31, "header line \"Server nginx\" has no ':'")]
    [InlineData("HTTP/1.1 200 OK\r\nServer : nginx\r\n\r\n", 33, "header line \"Server : nginx\" has an invalid field name \"Server \"")]
    [InlineData("HTTP/1.1 200 OK\r\nBad(Name): x\r\n\r\n", 31, "header line \"Bad(Name): x\" has an invalid field name \"Bad(Name)\"")]
    [InlineData("HTTP/1.1 200 OK\r\n: empty\r\n\r\n", 26, "header line \": empty\" has an invalid field name \"\"")]
    [InlineData("HTTP/1.1 200 OK\r\n folded\r\n\r\n", 26, "line \" folded\" starts with whitespace but follows the start line")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", 27, "line \"X-A: a\\rb\\r\\n\" contains a CR not followed by LF")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n", 27, "line \"X-A: a\\x00b\" contains a NUL byte")]
    public void Consume_MalformedLine_InvalidAtTheEndOfThatLine(string input, int consumed, string errorStart)
    {
        var (parser, feed) = Parse(Ascii(input));

        Assert.Equal(HeadParseStatus.Invalid, feed.Status);
        Assert.StartsWith(errorStart, parser.Error);
        Assert.Equal(consumed, feed.Consumed);
    }

    [Fact]
    public void Consume_EndlessHeaderLine_TooLargeAtFirstByteOverTheLimit()
    {
        var input = Ascii("HTTP/1.1 200 OK\r\nX-Filler: " + new string('a', 5000));
        var (parser, feed) = Parse(input, maxHeadBytes: 4096);

        Assert.Equal(HeadParseStatus.TooLarge, feed.Status);
        Assert.Equal(4097, feed.Consumed);
        Assert.Equal(4097, parser.BytesReceived);
        Assert.StartsWith(
            "response head is longer than 4096 bytes without the blank line that ends it (after 0 header lines; the unfinished line starts \"X-Filler: aaaa",
            parser.Error);
    }

    [Fact]
    public void Consume_OneMegabyteHead_TooLargeAtDefaultLimit()
    {
        // 16 KB lines, the size of a bloated Content-Security-Policy or a pile of Set-Cookie values.
        var text = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; text.Length < 1024 * 1024; i++)
        {
            text.Append($"X-Pad-{i:D2}: ").Append('p', 16 * 1024).Append("\r\n");
        }

        var (parser, feed) = Parse(Ascii(text.Append("\r\n").ToString()));

        Assert.Equal(HeadParseStatus.TooLarge, feed.Status);
        Assert.Equal(65537, feed.Consumed);
        Assert.StartsWith("response head is longer than 65536 bytes without the blank line that ends it (after 3 header lines; the unfinished line starts \"X-Pad-03: ppp", parser.Error);
    }

    [Fact]
    public void Consume_HeadOfExactlyMaxBytes_Complete()
    {
        var head = Ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        var (_, feed) = Parse(head, maxHeadBytes: head.Length);

        Assert.Equal(HeadParseStatus.Complete, feed.Status);
        Assert.Equal(head.Length, feed.Consumed);
    }

    [Fact]
    public void Consume_HeadOneByteOverMax_TooLarge()
    {
        var head = Ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        var (parser, feed) = Parse(head, maxHeadBytes: head.Length - 1);

        Assert.Equal(HeadParseStatus.TooLarge, feed.Status);
        Assert.Equal(head.Length, feed.Consumed);
        Assert.Null(parser.Head);
    }

    [Fact]
    public void Consume_AfterComplete_ReturnsCompleteAndConsumesNothing()
    {
        var parser = new ResponseHeadParser();
        Assert.Equal(HeadParseStatus.Complete, parser.Consume(Ascii("HTTP/1.1 101\r\n\r\n"), out _));

        Assert.Equal(HeadParseStatus.Complete, parser.Consume(Ascii("HTTP/1.1 500 Oops\r\n\r\n"), out int consumed));
        Assert.Equal(0, consumed);
        Assert.Equal(101, parser.Head!.StatusCode);
        Assert.Equal(16, parser.BytesReceived);
    }

    [Fact]
    public void Consume_AfterInvalid_ReturnsInvalidAndConsumesNothing()
    {
        var parser = new ResponseHeadParser();
        Assert.Equal(HeadParseStatus.Invalid, parser.Consume(Ascii("X"), out _));

        Assert.Equal(HeadParseStatus.Invalid, parser.Consume(Ascii("HTTP/1.1 101\r\n\r\n"), out int consumed));
        Assert.Equal(0, consumed);
        Assert.Null(parser.Head);
    }

    private static (ResponseHeadParser Parser, HeadFeed Feed) Parse(byte[] input, int maxHeadBytes = 65536) =>
        Replay.Identical(
            input,
            chunks =>
            {
                var parser = new ResponseHeadParser(maxHeadBytes);
                return (parser, HeadFeed.Run(chunks, parser.Consume));
            },
            result => $"{result.Item2.Describe()}\n{result.Item1.BytesReceived}\n{result.Item1.Error}\n{result.Item1.Head?.HttpVersion} {result.Item1.Head?.StatusCode} {result.Item1.Head?.Reason}\n{HeadFeed.Describe(result.Item1.Head)}");

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);
}
