using System.Buffers.Binary;

namespace Wsdoctor.Load.Echo;

/// <summary>The message each connection sends, and the check of its echo. The payload is a fixed pattern with
/// the message's sequence number written at both ends, so an echo that is corrupted, truncated, padded, stale
/// (an earlier message again) or out of order differs from what was sent; stamping touches at most 16 bytes,
/// and the comparison is one vectorised memcmp.</summary>
internal static class EchoPayload
{
    public static byte[] Create(int size, int connectionId)
    {
        var payload = new byte[size];
        for (var i = 0; i < size; i++)
        {
            payload[i] = (byte)(i * 31 + connectionId * 7 + 1);
        }

        return payload;
    }

    public static void Stamp(Span<byte> payload, long sequence)
    {
        Span<byte> stamp = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(stamp, sequence);
        var length = Math.Min(stamp.Length, payload.Length);
        stamp[..length].CopyTo(payload);
        stamp[..length].CopyTo(payload[^length..]);
    }

    /// <summary>Null when the echo is exactly what was sent; otherwise one sentence naming the first difference.</summary>
    public static string? Verify(ReadOnlySpan<byte> sent, ReadOnlySpan<byte> echoed, long sequence)
    {
        if (echoed.SequenceEqual(sent))
        {
            return null;
        }

        if (echoed.Length != sent.Length)
        {
            return $"echo of message #{sequence} is {echoed.Length} bytes, {sent.Length} were sent";
        }

        var at = sent.CommonPrefixLength(echoed);
        return $"echo of message #{sequence} differs at byte {at} of {sent.Length}: sent 0x{sent[at]:x2}, got 0x{echoed[at]:x2}";
    }
}
