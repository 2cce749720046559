using System.Text;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Protocol.Tests.Frames;

public class FrameReaderTests
{
    private static readonly FrameReaderOptions ServerSide = new() { ExpectMaskedFrames = true };

    [Fact]
    public void Consume_UnmaskedText_MessageReceived()
    {
        byte[] input =
        [
            0x81,                         // FIN + Text
            0x05,                         // no MASK, length 5
            0x48, 0x65, 0x6C, 0x6C, 0x6F, // "Hello"
        ];
        var (reader, events) = FrameReplay.Read(input);

        var message = Assert.IsType<MessageReceived>(Assert.Single(events));
        Assert.Equal(Opcode.Text, message.Opcode);
        Assert.Equal("Hello", Encoding.UTF8.GetString(message.Payload));
        Assert.Equal(1, message.FrameCount);
        Assert.False(message.Compressed);
        Assert.Equal(0, message.Offset);
        Assert.Equal(7, reader.BytesConsumed);
        Assert.False(reader.IsFaulted);
    }

    [Fact]
    public void Consume_EmptyText_MessageWithEmptyPayload()
    {
        byte[] input =
        [
            0x81, // FIN + Text
            0x00, // no MASK, length 0
        ];
        var (_, events) = FrameReplay.Read(input);

        Assert.Empty(Assert.IsType<MessageReceived>(Assert.Single(events)).Payload);
    }

    [Fact]
    public void Consume_MaskedTextWhenExpectingMasked_Unmasked()
    {
        byte[] input =
        [
            0x81,                         // FIN + Text
            0x85,                         // MASK + length 5
            0x37, 0xFA, 0x21, 0x3D,       // masking key (RFC 6455 5.7)
            0x7F, 0x9F, 0x4D, 0x51, 0x58, // "Hello" XOR key
        ];
        var (_, events) = FrameReplay.Read(input, ServerSide);

        Assert.Equal("Hello", Encoding.UTF8.GetString(Assert.IsType<MessageReceived>(Assert.Single(events)).Payload));
    }

    [Fact]
    public void Consume_TextFragmentedOverThreeFramesWithPingBetween_PingThenReassembledMessage()
    {
        byte[] input =
        [
            0x01, 0x02, 0x48, 0x65, // @0  Text, FIN clear, length 2, "He"
            0x89, 0x02, 0x68, 0x69, // @4  FIN + Ping, length 2, "hi" (RFC 6455 5.4: control frames may interleave)
            0x00, 0x01, 0x6C,       // @8  Continuation, FIN clear, length 1, "l"
            0x80, 0x02, 0x6C, 0x6F, // @11 FIN + Continuation, length 2, "lo"
        ];
        var (_, events) = FrameReplay.Read(input);

        Assert.Equal(2, events.Count);
        var ping = Assert.IsType<PingReceived>(events[0]);
        Assert.Equal(4, ping.Offset);
        Assert.Equal("hi", Encoding.ASCII.GetString(ping.Payload));
        var message = Assert.IsType<MessageReceived>(events[1]);
        Assert.Equal("Hello", Encoding.UTF8.GetString(message.Payload));
        Assert.Equal(3, message.FrameCount);
        Assert.Equal(11, message.Offset);
    }

    [Fact]
    public void Consume_Utf8CharacterSplitAcrossFragments_ValidMessage()
    {
        byte[] input =
        [
            0x01, 0x01, 0xC3, // Text, FIN clear, length 1, first byte of "é"
            0x80, 0x01, 0xA9, // FIN + Continuation, length 1, second byte of "é"
        ];
        var (_, events) = FrameReplay.Read(input);

        Assert.Equal("é", Encoding.UTF8.GetString(Assert.IsType<MessageReceived>(Assert.Single(events)).Payload));
    }

    [Fact]
    public void Consume_16BitLength_BinaryMessage()
    {
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        byte[] input =
        [
            0x82,       // FIN + Binary
            0x7E,       // no MASK, length code 126: 16-bit length follows
            0x01, 0x00, // length 256
            .. payload,
        ];
        var (_, events) = FrameReplay.Read(input);

        var message = Assert.IsType<MessageReceived>(Assert.Single(events));
        Assert.Equal(Opcode.Binary, message.Opcode);
        Assert.Equal(payload, message.Payload);
    }

    [Fact]
    public void Consume_64BitLength_BinaryMessage()
    {
        var payload = Enumerable.Range(0, 65536).Select(i => (byte)(i * 7)).ToArray();
        byte[] input =
        [
            0x82,                                           // FIN + Binary
            0x7F,                                           // no MASK, length code 127: 64-bit length follows
            0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, // length 65536
            .. payload,
        ];
        var (reader, events) = FrameReplay.Read(input);

        Assert.Equal(payload, Assert.IsType<MessageReceived>(Assert.Single(events)).Payload);
        Assert.Equal(65546, reader.BytesConsumed);
    }

    [Fact]
    public void Consume_CloseWithCodeAndReason_CloseReceived()
    {
        byte[] input =
        [
            0x88,                   // FIN + Close
            0x06,                   // no MASK, length 6
            0x03, 0xE8,             // code 1000
            0x62, 0x79, 0x65, 0x21, // "bye!"
        ];
        var (_, events) = FrameReplay.Read(input);

        var close = Assert.IsType<CloseReceived>(Assert.Single(events));
        Assert.Equal(1000, close.Code);
        Assert.Equal("bye!", close.Reason);
        Assert.Equal(input[2..], close.RawPayload);
    }

    [Fact]
    public void Consume_EmptyClose_CodeNull()
    {
        byte[] input =
        [
            0x88, // FIN + Close
            0x00, // no MASK, length 0
        ];
        var (_, events) = FrameReplay.Read(input);

        var close = Assert.IsType<CloseReceived>(Assert.Single(events));
        Assert.Null(close.Code);
        Assert.Equal("", close.Reason);
        Assert.Empty(close.RawPayload);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1011)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4000)]
    [InlineData(4999)]
    public void Consume_CloseWithCodeAllowedOnWire_CloseReceived(int code)
    {
        byte[] input =
        [
            0x88,                               // FIN + Close
            0x02,                               // no MASK, length 2
            (byte)(code >> 8), (byte)code,      // code, big-endian
        ];
        var (_, events) = FrameReplay.Read(input);

        Assert.Equal(code, Assert.IsType<CloseReceived>(Assert.Single(events)).Code);
    }

    [Fact]
    public void Consume_PingAndPongWithPayloads_BothReported()
    {
        byte[] input =
        [
            0x8A, 0x03, 0x61, 0x62, 0x63, // @0 FIN + Pong, length 3, "abc"
            0x89, 0x01, 0x7A,             // @5 FIN + Ping, length 1, "z"
        ];
        var (_, events) = FrameReplay.Read(input);

        var pong = Assert.IsType<PongReceived>(events[0]);
        Assert.Equal("abc", Encoding.ASCII.GetString(pong.Payload));
        var ping = Assert.IsType<PingReceived>(events[1]);
        Assert.Equal(5, ping.Offset);
        Assert.Equal("z", Encoding.ASCII.GetString(ping.Payload));
    }

    [Fact]
    public void Consume_Rsv1OnFirstFrameWithPerMessageDeflate_CompressedMessageNotUtf8Checked()
    {
        byte[] input =
        [
            0x41, 0x02, 0xF2, 0x48, // RSV1 + Text, FIN clear, length 2, deflate bytes (not UTF-8)
            0x80, 0x01, 0x00,       // FIN + Continuation (RSV1 clear, RFC 7692 6.1), length 1
        ];
        var (_, events) = FrameReplay.Read(input, new FrameReaderOptions { PerMessageDeflate = true });

        var message = Assert.IsType<MessageReceived>(Assert.Single(events));
        Assert.True(message.Compressed);
        Assert.Equal(2, message.FrameCount);
        Assert.Equal(new byte[] { 0xF2, 0x48, 0x00 }, message.Payload);
    }

    [Fact]
    public void Consume_UncompressedMessageWithPerMessageDeflate_NotCompressed()
    {
        byte[] input =
        [
            0x81, 0x01, 0x41, // FIN + Text, RSV1 clear, length 1, "A"
        ];
        var (_, events) = FrameReplay.Read(input, new FrameReaderOptions { PerMessageDeflate = true });

        Assert.False(Assert.IsType<MessageReceived>(Assert.Single(events)).Compressed);
    }

    [Fact]
    public void Consume_MessageOfExactlyMaxMessageBytes_Delivered()
    {
        byte[] input =
        [
            0x02, 0x03, 0x01, 0x02, 0x03, // Binary, FIN clear, length 3
            0x80, 0x02, 0x04, 0x05,       // FIN + Continuation, length 2: 5 bytes in all
        ];
        var (_, events) = FrameReplay.Read(input, new FrameReaderOptions { MaxMessageBytes = 5 });

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, Assert.IsType<MessageReceived>(Assert.Single(events)).Payload);
    }

    [Fact]
    public void Consume_AfterViolation_FurtherInputIgnored()
    {
        var reader = new FrameReader();
        var events = new List<FrameEvent>();

        reader.Consume([0x83, 0x00], events); // FIN + reserved opcode 3, length 0
        reader.Consume([0x81, 0x01, 0x41], events); // FIN + Text "A": must not be read

        Assert.True(reader.IsFaulted);
        Assert.IsType<ProtocolViolation>(Assert.Single(events));
        Assert.Equal(2, reader.BytesConsumed);
    }

    [Fact]
    public void Ctor_MaxMessageBytesZero_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameReader(new FrameReaderOptions { MaxMessageBytes = 0 }));
    }
}
