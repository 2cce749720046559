using System.Buffers.Binary;

namespace Wsdoctor.Protocol.Frames;

/// <summary>The fields of one frame header (RFC 6455 5.2), decoded but not yet judged: the reader needs
/// the raw values, reserved opcodes and non-minimal lengths included, to say what is wrong with them.</summary>
internal readonly struct FrameHeader
{
    /// <summary>2 fixed bytes, up to 8 of extended length, 4 of masking key.</summary>
    public const int MaxSize = 14;

    public FrameHeader(ReadOnlySpan<byte> header)
    {
        Fin = (header[0] & 0x80) != 0;
        ReservedBits = (byte)(header[0] & 0x70);
        RawOpcode = (byte)(header[0] & 0x0F);
        Masked = (header[1] & 0x80) != 0;
        Size = SizeFromSecondByte(header[1]);
        ExtendedLengthBytes = ExtendedLengthBytesFor(header[1]);
        PayloadLength = ExtendedLengthBytes switch
        {
            0 => (ulong)(header[1] & 0x7F),
            2 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            _ => BinaryPrimitives.ReadUInt64BigEndian(header[2..]),
        };
    }

    public bool Fin { get; }

    /// <summary>RSV1 = 0x40, RSV2 = 0x20, RSV3 = 0x10, in place in the first byte.</summary>
    public byte ReservedBits { get; }

    public byte RawOpcode { get; }

    public bool Masked { get; }

    /// <summary>Header length in bytes, masking key included.</summary>
    public int Size { get; }

    /// <summary>0, 2 or 8: how the payload length was encoded.</summary>
    public int ExtendedLengthBytes { get; }

    /// <summary>Unsigned, so a 64-bit length with its top bit set is seen as the huge value it claims.</summary>
    public ulong PayloadLength { get; }

    /// <summary>RFC 6455 5.5: opcodes with the high bit set are control frames.</summary>
    public bool IsControl => (RawOpcode & 0x08) != 0;

    public Opcode Opcode => (Opcode)RawOpcode;

    /// <summary>The whole header length is known from the second byte: length code 126 or 127 adds 2 or 8
    /// bytes, the MASK bit adds 4.</summary>
    public static int SizeFromSecondByte(byte second) => 2 + ExtendedLengthBytesFor(second) + ((second & 0x80) != 0 ? 4 : 0);

    private static int ExtendedLengthBytesFor(byte second) => (second & 0x7F) switch
    {
        126 => 2,
        127 => 8,
        _ => 0,
    };
}
