using System.Text;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Protocol.Tests.Frames;

public class FrameWriterTests
{
    private static readonly byte[] Hello = "Hello"u8.ToArray();

    [Fact]
    public void Build_UnmaskedText_Rfc6455Example()
    {
        Assert.Equal(
            new byte[]
            {
                0x81,                         // FIN + Text
                0x05,                         // no MASK, length 5
                0x48, 0x65, 0x6C, 0x6C, 0x6F, // "Hello"
            },
            FrameWriter.Build(Opcode.Text, Hello, mask: false));
    }

    [Fact]
    public void BuildRaw_GivenMaskKey_Rfc6455MaskedExample()
    {
        Assert.Equal(
            new byte[]
            {
                0x81,                         // FIN + Text
                0x85,                         // MASK + length 5
                0x37, 0xFA, 0x21, 0x3D,       // masking key
                0x7F, 0x9F, 0x4D, 0x51, 0x58, // "Hello" XOR key
            },
            FrameWriter.BuildRaw(0x81, Hello, mask: true, maskKey: [0x37, 0xFA, 0x21, 0x3D]));
    }

    [Fact]
    public void Build_NotFin_FinBitClear()
    {
        var frame = FrameWriter.Build(Opcode.Binary, [1], mask: false, fin: false);

        Assert.Equal(0x02, frame[0]); // Binary, FIN clear
    }

    [Theory]
    [InlineData(0, 2, 0x00)]
    [InlineData(125, 2, 0x7D)]
    [InlineData(126, 4, 0x7E)]
    [InlineData(65535, 4, 0x7E)]
    [InlineData(65536, 10, 0x7F)]
    public void Build_PayloadLength_MinimalEncoding(int length, int headerSize, byte lengthCode)
    {
        var frame = FrameWriter.Build(Opcode.Binary, new byte[length], mask: false);

        Assert.Equal(headerSize + length, frame.Length);
        Assert.Equal(lengthCode, frame[1]);
    }

    [Fact]
    public void Build_MaskedWithoutKey_RandomKeyPerFrame()
    {
        var first = FrameWriter.Build(Opcode.Text, Hello, mask: true);
        var second = FrameWriter.Build(Opcode.Text, Hello, mask: true);

        // 2^-32 chance of a false failure: RFC 6455 5.3 wants an unpredictable key for every frame.
        Assert.NotEqual(first[2..6], second[2..6]);
    }

    [Fact]
    public void BuildRaw_ForcedTwoLengthBytes_ReaderReportsNonMinimalLength()
    {
        var frame = FrameWriter.BuildRaw(0x81, Hello, mask: false, forceLengthBytes: 2);

        Assert.Equal(new byte[] { 0x81, 0x7E, 0x00, 0x05 }, frame[..4]); // FIN + Text, length code 126, 16-bit length 5
        Assert.Equal(ViolationKind.NonMinimalLength, FrameReplay.Violation(frame).Kind);
    }

    [Fact]
    public void BuildRaw_ForcedEightLengthBytes_64BitLength()
    {
        var frame = FrameWriter.BuildRaw(0x82, [9], mask: false, forceLengthBytes: 8);

        Assert.Equal(new byte[] { 0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 1, 9 }, frame);
    }

    [Fact]
    public void BuildRaw_ReservedOpcodeAndRsvBits_WrittenVerbatim()
    {
        var frame = FrameWriter.BuildRaw(0xF3, [], mask: false); // FIN + RSV1-3 + reserved opcode 3

        Assert.Equal(new byte[] { 0xF3, 0x00 }, frame);
        Assert.Equal(ViolationKind.ReservedOpcode, FrameReplay.Violation(frame).Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void BuildRaw_PayloadTooBigForForcedLength_Throws(int lengthBytes)
    {
        var payload = new byte[lengthBytes == 0 ? 126 : 65536];

        Assert.Throws<ArgumentException>(() => FrameWriter.BuildRaw(0x82, payload, mask: false, forceLengthBytes: lengthBytes));
    }

    [Fact]
    public void BuildRaw_ForcedLengthOfFourBytes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameWriter.BuildRaw(0x82, [], mask: false, forceLengthBytes: 4));
    }

    [Fact]
    public void BuildRaw_MaskKeyOfWrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => FrameWriter.BuildRaw(0x82, [], mask: true, maskKey: [1, 2, 3]));
    }

    [Fact]
    public void Build_PingOver125Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => FrameWriter.Build(Opcode.Ping, new byte[126], mask: false));
    }

    [Fact]
    public void Build_FragmentedPing_Throws()
    {
        Assert.Throws<ArgumentException>(() => FrameWriter.Build(Opcode.Ping, [], mask: false, fin: false));
    }

    [Fact]
    public void BuildClose_CodeAndReason_CodeBigEndianThenUtf8()
    {
        Assert.Equal(
            new byte[]
            {
                0x88,             // FIN + Close
                0x05,             // no MASK, length 5
                0x03, 0xE9,       // code 1001
                0x62, 0x79, 0x65, // "bye"
            },
            FrameWriter.BuildClose(1001, "bye", mask: false));
    }

    [Fact]
    public void BuildClose_NoCode_EmptyPayload()
    {
        Assert.Equal(new byte[] { 0x88, 0x00 }, FrameWriter.BuildClose(null, "", mask: false));
    }

    [Fact]
    public void BuildClose_CodeForbiddenOnWire_WrittenSoTestServersCanSendIt()
    {
        var frame = FrameWriter.BuildClose(1005, "", mask: false);

        Assert.Equal(new byte[] { 0x88, 0x02, 0x03, 0xED }, frame); // FIN + Close, length 2, code 1005
        Assert.Equal(ViolationKind.InvalidCloseCode, FrameReplay.Violation(frame).Kind);
    }

    [Fact]
    public void BuildClose_ReasonWithoutCode_Throws()
    {
        Assert.Throws<ArgumentException>(() => FrameWriter.BuildClose(null, "why", mask: false));
    }

    [Fact]
    public void BuildClose_MaskedReadByServer_SameCodeAndReason()
    {
        var frame = FrameWriter.BuildClose(4001, "token expired ✓", mask: true);
        var (_, events) = FrameReplay.Read(frame, new FrameReaderOptions { ExpectMaskedFrames = true });

        var close = Assert.IsType<CloseReceived>(Assert.Single(events));
        Assert.Equal(4001, close.Code);
        Assert.Equal("token expired ✓", close.Reason);
    }

    [Fact]
    public void Build_RandomClientTrafficWithInterleavedPings_ServerReaderReportsEveryEventAtItsOffset()
    {
        var random = new Random(6455);
        string[] alphabet = ["a", "Z", " ", "é", "€", "𝄞", "\n"];
        for (int iteration = 0; iteration < 300; iteration++)
        {
            var stream = new List<byte>();
            var expected = new List<string>();
            for (int m = random.Next(1, 5); m > 0; m--)
            {
                bool text = random.Next(2) == 0;
                int length = random.Next(10) switch { 0 => random.Next(126, 70_000), 1 => 0, _ => random.Next(1, 126) };
                byte[] payload = text
                    ? Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, length / 3).Select(_ => alphabet[random.Next(alphabet.Length)])))
                    : Enumerable.Range(0, length).Select(_ => (byte)random.Next(256)).ToArray();

                // Cut points fall anywhere, including inside a UTF-8 sequence: only the whole message must be valid.
                var cuts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(payload.Length + 1)).Order().ToArray();
                int start = 0;
                for (int f = 0; f <= cuts.Length; f++)
                {
                    int end = f < cuts.Length ? cuts[f] : payload.Length;
                    bool last = f == cuts.Length;
                    var opcode = f == 0 ? (text ? Opcode.Text : Opcode.Binary) : Opcode.Continuation;
                    if (last)
                    {
                        expected.Add(FrameReplay.Describe(new MessageReceived(stream.Count, text ? Opcode.Text : Opcode.Binary, payload, cuts.Length + 1, false)));
                    }

                    stream.AddRange(FrameWriter.Build(opcode, payload.AsSpan(start, end - start), mask: true, fin: last));
                    start = end;
                    if (!last && random.Next(3) == 0)
                    {
                        var ping = Enumerable.Range(0, random.Next(126)).Select(_ => (byte)random.Next(256)).ToArray();
                        expected.Add(FrameReplay.Describe(new PingReceived(stream.Count, ping)));
                        stream.AddRange(FrameWriter.Build(Opcode.Ping, ping, mask: true));
                    }
                }
            }

            var reader = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true });
            var events = new List<FrameEvent>();
            var bytes = stream.ToArray();
            for (int position = 0; position < bytes.Length;)
            {
                int chunk = Math.Min(random.Next(1, 3000), bytes.Length - position);
                reader.Consume(bytes.AsSpan(position, chunk), events);
                position += chunk;
            }

            Assert.Equal(expected, events.Select(FrameReplay.Describe));
            Assert.Equal(bytes.Length, reader.BytesConsumed);
        }
    }
}
