using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Protocol.Tests.Frames;

public class FrameReaderViolationTests
{
    private static readonly FrameReaderOptions ServerSide = new() { ExpectMaskedFrames = true };
    private static readonly FrameReaderOptions Deflate = new() { PerMessageDeflate = true };

    [Fact]
    public void Consume_MaskedFrameFromServer_ViolationNamingFrameAndRule()
    {
        byte[] input =
        [
            0x89, 0x00,                   // @0 FIN + Ping, length 0: fine
            0x81,                         // @2 FIN + Text
            0x85,                         // MASK + length 5: a server must not mask
            0x37, 0xFA, 0x21, 0x3D,       // masking key
            0x7F, 0x9F, 0x4D, 0x51, 0x58, // "Hello" masked
        ];
        var (reader, events) = FrameReplay.Read(input);

        Assert.IsType<PingReceived>(events[0]);
        var violation = Assert.IsType<ProtocolViolation>(events[1]);
        Assert.Equal(ViolationKind.MaskedFrameFromServer, violation.Kind);
        Assert.Equal(2, violation.Offset);
        Assert.Equal(
            "frame #2 at byte 2 (81 85 37 FA 21 3D): server frame is masked (RFC 6455 5.1: a server MUST NOT mask any frames)",
            violation.Description);
        Assert.Equal(input[2..8], violation.FrameHeader);
        Assert.Equal(8, reader.BytesConsumed);
    }

    [Fact]
    public void Consume_UnmaskedFrameFromClient_Violation()
    {
        byte[] input =
        [
            0x81, 0x01, 0x41, // FIN + Text, no MASK, length 1, "A"
        ];
        var violation = FrameReplay.Violation(input, ServerSide);

        Assert.Equal(ViolationKind.UnmaskedFrameFromClient, violation.Kind);
        Assert.Equal(
            "frame #1 at byte 0 (81 01): client frame is not masked (RFC 6455 5.1: a client MUST mask all frames it sends)",
            violation.Description);
    }

    [Theory]
    [InlineData(new byte[] { 0xC1, 0x00 }, false, "RSV1 is set but permessage-deflate was not negotiated")] // FIN + RSV1 + Text
    [InlineData(new byte[] { 0xA1, 0x00 }, false, "RSV2 is set")]                                            // FIN + RSV2 + Text
    [InlineData(new byte[] { 0x91, 0x00 }, true, "RSV3 is set")]                                             // FIN + RSV3 + Text
    [InlineData(new byte[] { 0x41, 0x00, 0xC0, 0x00 }, true, "RSV1 is set on a continuation frame (RFC 7692 6.1")] // RSV1 + Text; FIN + RSV1 + Continuation
    [InlineData(new byte[] { 0xC9, 0x00 }, true, "RSV1 is set on a Ping frame (RFC 7692 6.1")]             // FIN + RSV1 + Ping
    public void Consume_ReservedBitsNotAllowed_ReservedBitsSet(byte[] input, bool perMessageDeflate, string rule)
    {
        var violation = FrameReplay.Violation(input, perMessageDeflate ? Deflate : null);

        Assert.Equal(ViolationKind.ReservedBitsSet, violation.Kind);
        Assert.Contains(rule, violation.Description);
    }

    [Theory]
    [InlineData(0x83, "0x3")]
    [InlineData(0x87, "0x7")]
    [InlineData(0x8B, "0xB")]
    [InlineData(0x8F, "0xF")]
    public void Consume_ReservedOpcode_ReservedOpcode(byte firstByte, string opcode)
    {
        byte[] input =
        [
            firstByte, // FIN + reserved opcode
            0x00,      // no MASK, length 0
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.ReservedOpcode, violation.Kind);
        Assert.Contains($"opcode {opcode} is reserved (RFC 6455 5.2", violation.Description);
    }

    [Theory]
    [InlineData(0x09, "Ping")]
    [InlineData(0x0A, "Pong")]
    [InlineData(0x08, "Close")]
    public void Consume_ControlFrameWithoutFin_FragmentedControlFrame(byte firstByte, string name)
    {
        byte[] input =
        [
            firstByte, // control opcode, FIN clear
            0x00,      // no MASK, length 0
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.FragmentedControlFrame, violation.Kind);
        Assert.Contains($"{name} frame has FIN clear (RFC 6455 5.5", violation.Description);
    }

    [Fact]
    public void Consume_PingWith126BytePayload_ControlFrameTooLongBeforePayloadArrives()
    {
        byte[] input =
        [
            0x89,       // FIN + Ping
            0x7E,       // no MASK, length code 126
            0x00, 0x7E, // length 126: one over the control frame limit
        ];
        var (reader, events) = FrameReplay.Read(input);

        var violation = Assert.IsType<ProtocolViolation>(Assert.Single(events));
        Assert.Equal(ViolationKind.ControlFrameTooLong, violation.Kind);
        Assert.Equal(
            "frame #1 at byte 0 (89 7E 00 7E): Ping frame declares a 126-byte payload (RFC 6455 5.5: control frames MUST have a payload length of 125 bytes or less)",
            violation.Description);
        Assert.Equal(4, reader.BytesConsumed);
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x7E, 0x00, 0x05 }, "payload length 5 is encoded in 2 extended length bytes")]                                     // 16-bit form for 5
    [InlineData(new byte[] { 0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF }, "payload length 65535 is encoded in 8 extended length bytes")] // 64-bit form for 65535
    [InlineData(new byte[] { 0x81, 0x7E, 0x00, 0x7D }, "payload length 125 is encoded in 2 extended length bytes")]                                   // 16-bit form for 125
    public void Consume_LengthNotMinimal_NonMinimalLength(byte[] input, string rule)
    {
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.NonMinimalLength, violation.Kind);
        Assert.Contains(rule, violation.Description);
        Assert.Contains("RFC 6455 5.2", violation.Description);
    }

    [Fact]
    public void Consume_64BitLengthWithTopBitSet_LengthMsbSet()
    {
        byte[] input =
        [
            0x82,                                           // FIN + Binary
            0x7F,                                           // no MASK, length code 127
            0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // length with the most significant bit set
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.LengthMsbSet, violation.Kind);
        Assert.Contains("0x8000000000000000 has its most significant bit set", violation.Description);
    }

    [Fact]
    public void Consume_ContinuationWithoutMessage_UnexpectedContinuation()
    {
        byte[] input =
        [
            0x80, 0x01, 0x41, // FIN + Continuation, length 1, "A", but no message was started
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.UnexpectedContinuation, violation.Kind);
        Assert.Contains("RFC 6455 5.4", violation.Description);
    }

    [Fact]
    public void Consume_ContinuationAfterCompletedMessage_UnexpectedContinuation()
    {
        byte[] input =
        [
            0x81, 0x01, 0x41, // FIN + Text, "A": message complete
            0x80, 0x01, 0x42, // FIN + Continuation, "B": nothing to continue
        ];
        var (_, events) = FrameReplay.Read(input);

        Assert.IsType<MessageReceived>(events[0]);
        Assert.Equal(ViolationKind.UnexpectedContinuation, Assert.IsType<ProtocolViolation>(events[1]).Kind);
    }

    [Fact]
    public void Consume_NewMessageBeforeFin_MessageInterleaved()
    {
        byte[] input =
        [
            0x01, 0x01, 0x41, // Text, FIN clear, "A"
            0x82, 0x01, 0x42, // FIN + Binary, "B": starts a new message mid-text
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.MessageInterleaved, violation.Kind);
        Assert.Equal(
            "frame #2 at byte 3 (82 01): Binary frame starts a new message while the Text message begun in frame #1 is unfinished (RFC 6455 5.4: fragments of one message MUST NOT be interleaved with another message)",
            violation.Description);
    }

    [Fact]
    public void Consume_TextNotUtf8_InvalidUtf8AtCompletion()
    {
        byte[] input =
        [
            0x01, 0x02, 0x6F, 0x6B, // Text, FIN clear, "ok"
            0x80, 0x02, 0xC3, 0x28, // FIN + Continuation, C3 needs a continuation byte, 28 is not one
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.InvalidUtf8, violation.Kind);
        Assert.Equal(4, violation.Offset);
        Assert.Equal(
            "frame #2 at byte 4 (80 02): the Text message of 2 frame(s) begun in frame #1 is not valid UTF-8 at message byte 2 (C3 28) (RFC 6455 8.1: a text message MUST be valid UTF-8)",
            violation.Description);
    }

    [Fact]
    public void Consume_BinaryNotUtf8_NoViolation()
    {
        byte[] input =
        [
            0x82, 0x02, 0xC3, 0x28, // FIN + Binary: any bytes are fine
        ];
        var (reader, _) = FrameReplay.Read(input);

        Assert.False(reader.IsFaulted);
    }

    [Fact]
    public void Consume_OneByteClosePayload_InvalidClosePayload()
    {
        byte[] input =
        [
            0x88, // FIN + Close
            0x01, // no MASK, length 1
            0x03, // half a status code
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.InvalidClosePayload, violation.Kind);
        Assert.Contains("Close frame has a 1-byte payload 03 (RFC 6455 5.5.1", violation.Description);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Consume_CloseCodeNotAllowedOnWire_InvalidCloseCode(int code)
    {
        byte[] input =
        [
            0x88,                          // FIN + Close
            0x02,                          // no MASK, length 2
            (byte)(code >> 8), (byte)code, // code, big-endian
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.InvalidCloseCode, violation.Kind);
        Assert.Contains($"Close frame carries code {code} (", violation.Description);
        Assert.Contains("RFC 6455 7.4", violation.Description);
    }

    [Fact]
    public void Consume_CloseReasonNotUtf8_InvalidCloseReasonUtf8()
    {
        byte[] input =
        [
            0x88,       // FIN + Close
            0x04,       // no MASK, length 4
            0x03, 0xE8, // code 1000
            0xC3, 0x28, // invalid UTF-8 reason
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.InvalidCloseReasonUtf8, violation.Kind);
        Assert.Contains("Close reason C3 28 is not valid UTF-8", violation.Description);
    }

    [Fact]
    public void Consume_SingleFrameOverLimit_MessageTooBigBeforePayloadArrives()
    {
        byte[] input =
        [
            0x82, 0x05, // FIN + Binary, length 5 (limit 4); no payload needed to decide
        ];
        var violation = FrameReplay.Violation(input, new FrameReaderOptions { MaxMessageBytes = 4 });

        Assert.Equal(ViolationKind.MessageTooBig, violation.Kind);
        Assert.Contains("Binary frame brings the message to 5 bytes, over the 4-byte limit", violation.Description);
    }

    [Fact]
    public void Consume_FragmentsAddingUpOverLimit_MessageTooBigAtTheFrameThatCrossesIt()
    {
        byte[] input =
        [
            0x02, 0x03, 0x01, 0x02, 0x03, // Binary, FIN clear, length 3
            0x80, 0x02, 0x04, 0x05,       // FIN + Continuation, length 2: 5 in all, limit 4
        ];
        var violation = FrameReplay.Violation(input, new FrameReaderOptions { MaxMessageBytes = 4 });

        Assert.Equal(ViolationKind.MessageTooBig, violation.Kind);
        Assert.Equal(5, violation.Offset);
        Assert.Contains("Continuation frame brings the message to 5 bytes", violation.Description);
    }

    [Fact]
    public void Consume_HugeDeclaredLength_MessageTooBigWithoutBuffering()
    {
        byte[] input =
        [
            0x82, 0x7F,                                     // FIN + Binary, length code 127
            0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // length 2^63 - 1
        ];
        var violation = FrameReplay.Violation(input);

        Assert.Equal(ViolationKind.MessageTooBig, violation.Kind);
        Assert.Contains("9223372036854775807 bytes, over the 16777216-byte limit", violation.Description);
    }

    [Fact]
    public void Consume_DataFrameAfterClose_DataAfterClose()
    {
        byte[] input =
        [
            0x88, 0x02, 0x03, 0xE8, // FIN + Close, code 1000
            0x81, 0x01, 0x41,       // FIN + Text "A" after the Close
        ];
        var (_, events) = FrameReplay.Read(input);

        Assert.Equal(1000, Assert.IsType<CloseReceived>(events[0]).Code);
        var violation = Assert.IsType<ProtocolViolation>(events[1]);
        Assert.Equal(ViolationKind.DataAfterClose, violation.Kind);
        Assert.Contains("Text frame arrives after the Close frame #1", violation.Description);
    }
}
