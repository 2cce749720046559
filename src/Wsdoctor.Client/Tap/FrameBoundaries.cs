using System.Buffers.Binary;

namespace Wsdoctor.Client.Tap;

/// <summary>Whether a write holds whole frames only (RFC 6455 5.2 lengths), which is what lets the tap put a
/// frame of its own between two writes without splitting one of the WebSocket's frames.</summary>
public static class FrameBoundaries
{
    public static bool IsWholeFrames(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (bytes.Length < 2)
            {
                return false;
            }

            var code = bytes[1] & 0x7F;
            var extended = code switch { 126 => 2, 127 => 8, _ => 0 };
            var header = 2 + extended + ((bytes[1] & 0x80) != 0 ? 4 : 0);
            if (bytes.Length < header)
            {
                return false;
            }

            var payload = extended switch
            {
                2 => BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
                8 => BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]),
                _ => (ulong)code,
            };
            if ((ulong)(bytes.Length - header) < payload)
            {
                return false;
            }

            bytes = bytes[(header + (int)payload)..];
        }

        return true;
    }
}
