using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Wsdoctor.Protocol.Frames;

/// <summary>Builds frames. <see cref="Build"/> and <see cref="BuildClose"/> only produce well-formed frames;
/// <see cref="BuildRaw"/> lets test servers break the rules on purpose.</summary>
public static class FrameWriter
{
    private const int MaxControlPayload = 125;

    /// <summary>A well-formed frame with the minimal length encoding (RFC 6455 5.2). Clients pass
    /// <paramref name="mask"/> true (RFC 6455 5.1), servers false.</summary>
    /// <exception cref="ArgumentException">A control frame longer than 125 bytes or fragmented (RFC 6455 5.5);
    /// use <see cref="BuildRaw"/> to send one deliberately.</exception>
    public static byte[] Build(Opcode opcode, ReadOnlySpan<byte> payload, bool mask, bool fin = true)
    {
        if (((byte)opcode & 0x08) != 0 && (payload.Length > MaxControlPayload || !fin))
        {
            throw new ArgumentException($"{opcode} frames must be unfragmented with at most {MaxControlPayload} payload bytes (RFC 6455 5.5)", nameof(payload));
        }

        return BuildRaw((byte)((fin ? 0x80 : 0) | (byte)opcode), payload, mask);
    }

    /// <summary>A frame whose first byte (FIN, RSV1-3, opcode) is written verbatim.</summary>
    /// <param name="maskKey">Four bytes, or empty for a random key (RFC 6455 5.3: the key must be unpredictable).</param>
    /// <param name="forceLengthBytes">0, 2 or 8 to force that many extended length bytes, e.g. to send a
    /// non-minimal length; null for the minimal encoding.</param>
    public static byte[] BuildRaw(byte firstByte, ReadOnlySpan<byte> payload, bool mask, ReadOnlySpan<byte> maskKey = default, int? forceLengthBytes = null)
    {
        if (!maskKey.IsEmpty && (!mask || maskKey.Length != 4))
        {
            throw new ArgumentException("a masking key is 4 bytes and only goes with mask: true", nameof(maskKey));
        }

        int lengthBytes = forceLengthBytes ?? (payload.Length <= MaxControlPayload ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8);
        if (lengthBytes is not (0 or 2 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(forceLengthBytes), forceLengthBytes, "the extended payload length is 0, 2 or 8 bytes (RFC 6455 5.2)");
        }

        if ((lengthBytes == 0 && payload.Length > MaxControlPayload) || (lengthBytes == 2 && payload.Length > ushort.MaxValue))
        {
            throw new ArgumentException($"{payload.Length} bytes do not fit a {lengthBytes}-byte extended length", nameof(forceLengthBytes));
        }

        int headerSize = 2 + lengthBytes + (mask ? 4 : 0);
        var frame = new byte[headerSize + payload.Length];
        frame[0] = firstByte;
        frame[1] = (byte)((mask ? 0x80 : 0) | lengthBytes switch { 0 => payload.Length, 2 => 126, _ => 127 });
        if (lengthBytes == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else if (lengthBytes == 8)
        {
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        payload.CopyTo(frame.AsSpan(headerSize));
        if (mask)
        {
            var key = frame.AsSpan(headerSize - 4, 4);
            if (maskKey.IsEmpty)
            {
                RandomNumberGenerator.Fill(key);
            }
            else
            {
                maskKey.CopyTo(key);
            }

            var body = frame.AsSpan(headerSize);
            for (int i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i & 3];
            }
        }

        return frame;
    }

    /// <summary>A Close frame: empty when <paramref name="code"/> is null, else the 2-byte code then the
    /// UTF-8 reason (RFC 6455 5.5.1). The code is written as given, registered or not, so test servers can
    /// send codes that must not appear on the wire.</summary>
    public static byte[] BuildClose(int? code, string reason, bool mask)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (code is null)
        {
            if (reason.Length > 0)
            {
                throw new ArgumentException("a reason needs a status code before it (RFC 6455 5.5.1)", nameof(reason));
            }

            return Build(Opcode.Close, [], mask);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(code.Value, nameof(code));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code.Value, ushort.MaxValue, nameof(code));
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code.Value);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Build(Opcode.Close, payload, mask);
    }
}
