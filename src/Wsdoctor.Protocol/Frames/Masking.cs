using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Wsdoctor.Protocol.Frames;

/// <summary>RFC 6455 5.3: client payloads are XORed with a 4-byte key, byte i with key[i mod 4]. Vectorised; the
/// offset carries the key position across the pieces of a frame that arrive separately.</summary>
public static class Masking
{
    /// <summary>Unmasks <paramref name="source"/> into <paramref name="destination"/> (which may be the same
    /// memory); <paramref name="offset"/> is the position in the frame's payload and is advanced.</summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, uint key, ref long offset)
    {
        // The key as read little-endian from the wire: byte 0 of the key is the low byte. Rotate it so that the
        // key byte for this piece's first byte comes first.
        var rotated = BitOperations.RotateRight(key, 8 * (int)(offset & 3));
        offset += source.Length;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && source.Length >= Vector256<byte>.Count)
        {
            var mask = Vector256.Create(rotated).AsByte();
            for (; i <= source.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                (Vector256.Create(source.Slice(i, Vector256<byte>.Count)) ^ mask).CopyTo(destination[i..]);
            }
        }
        else if (Vector128.IsHardwareAccelerated && source.Length >= Vector128<byte>.Count)
        {
            var mask = Vector128.Create(rotated).AsByte();
            for (; i <= source.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                (Vector128.Create(source.Slice(i, Vector128<byte>.Count)) ^ mask).CopyTo(destination[i..]);
            }
        }

        if (source.Length - i >= sizeof(ulong))
        {
            var wide = rotated | ((ulong)rotated << 32);
            for (; i <= source.Length - sizeof(ulong); i += sizeof(ulong))
            {
                var value = MemoryMarshal.Read<ulong>(source[i..]) ^ wide;
                MemoryMarshal.Write(destination[i..], in value);
            }
        }

        Span<byte> keyBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(keyBytes, rotated);
        for (var k = 0; i < source.Length; i++, k++)
        {
            destination[i] = (byte)(source[i] ^ keyBytes[k & 3]);
        }
    }
}
