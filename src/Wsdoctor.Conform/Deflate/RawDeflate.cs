using System.Runtime.InteropServices;

namespace Wsdoctor.Conform.Deflate;

/// <summary>One direction of permessage-deflate (RFC 7692 7.2): raw DEFLATE with a chosen window, each message
/// ended by a sync flush whose trailing 00 00 FF FF is removed (compress) or put back (decompress). Without
/// context takeover the LZ77 window is reset between messages (RFC 7692 7.1.1).</summary>
public sealed class RawDeflate : IDisposable
{
    private static readonly byte[] Tail = [0x00, 0x00, 0xFF, 0xFF];
    private readonly IntPtr stream;
    private readonly bool compress;
    private readonly bool resetEachMessage;
    private bool disposed;

    private RawDeflate(bool compress, int windowBits, bool resetEachMessage)
    {
        this.compress = compress;
        this.resetEachMessage = resetEachMessage;
        stream = Zlib.AllocateStream();
        // zlib refuses a raw window of 8 bits (it silently used 9 before 1.2.9); 9 is the closest it accepts.
        int bits = Math.Max(windowBits, 9);
        int status = compress
            ? Zlib.DeflateInit2(stream, 6, Zlib.Deflated, -bits, 8, Zlib.DefaultStrategy, Zlib.Version, Zlib.StreamSize)
            : Zlib.InflateInit2(stream, -15, Zlib.Version, Zlib.StreamSize);
        if (status != Zlib.Ok)
        {
            Marshal.FreeHGlobal(stream);
            throw new InvalidOperationException($"zlib init failed ({status})");
        }
    }

    /// <param name="windowBits">The window this side may use: the peer's *_max_window_bits, 15 when absent.</param>
    public static RawDeflate Compressor(int windowBits, bool noContextTakeover) => new(true, windowBits, noContextTakeover);

    /// <summary>Inflating always uses the largest window: any smaller one the peer chose fits in it.</summary>
    public static RawDeflate Decompressor(bool noContextTakeover) => new(false, 15, noContextTakeover);

    /// <summary>RFC 7692 7.2.1: DEFLATE the message, sync flush, drop the final 00 00 FF FF.</summary>
    public byte[] CompressMessage(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var output = Run(message, Zlib.SyncFlush);
        var length = output.Length >= 4 && output.AsSpan(output.Length - 4).SequenceEqual(Tail) ? output.Length - 4 : output.Length;
        if (resetEachMessage)
        {
            Zlib.DeflateReset(stream);
        }

        return output[..length];
    }

    /// <summary>RFC 7692 7.2.2: append 00 00 FF FF and INFLATE. Null when the data is not valid DEFLATE.</summary>
    public byte[]? DecompressMessage(ReadOnlySpan<byte> payload, long maxBytes)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var input = new byte[payload.Length + 4];
        payload.CopyTo(input);
        Tail.CopyTo(input, payload.Length);
        var output = Run(input, Zlib.SyncFlush, maxBytes);
        if (resetEachMessage)
        {
            Zlib.InflateReset(stream);
        }

        return output;
    }

    private byte[] Run(ReadOnlySpan<byte> input, int flush) => Run(input, flush, long.MaxValue)!;

    private byte[]? Run(ReadOnlySpan<byte> input, int flush, long maxBytes)
    {
        var source = input.ToArray();
        var sourceHandle = GCHandle.Alloc(source, GCHandleType.Pinned);
        var chunk = new byte[Math.Max(1024, Math.Min(input.Length * 2 + 64, 256 * 1024))];
        var chunkHandle = GCHandle.Alloc(chunk, GCHandleType.Pinned);
        try
        {
            using var result = new MemoryStream();
            Zlib.SetInput(stream, sourceHandle.AddrOfPinnedObject(), source.Length);
            // Bounded: each pass either fills the output chunk (progress) or consumes all input and stops.
            for (int pass = 0; pass < 1_000_000; pass++)
            {
                Zlib.SetOutput(stream, chunkHandle.AddrOfPinnedObject(), chunk.Length);
                int status = compress ? Zlib.Deflate(stream, flush) : Zlib.Inflate(stream, flush);
                int produced = chunk.Length - Zlib.OutputLeft(stream);
                result.Write(chunk, 0, produced);
                if (result.Length > maxBytes)
                {
                    return null;
                }

                if (status is not (Zlib.Ok or Zlib.BufError or Zlib.StreamEnd))
                {
                    return null;
                }

                if (Zlib.OutputLeft(stream) != 0 && Zlib.InputLeft(stream) == 0)
                {
                    break;
                }

                if (status == Zlib.StreamEnd)
                {
                    // A final block (BFINAL) ends the stream; RFC 7692 7.2.3.3 allows it, later messages start a new one.
                    Zlib.InflateReset(stream);
                    if (Zlib.InputLeft(stream) == 0)
                    {
                        break;
                    }
                }
            }

            Zlib.SetInput(stream, IntPtr.Zero, 0);
            Zlib.SetOutput(stream, IntPtr.Zero, 0);
            return result.ToArray();
        }
        finally
        {
            sourceHandle.Free();
            chunkHandle.Free();
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (compress)
        {
            Zlib.DeflateEnd(stream);
        }
        else
        {
            Zlib.InflateEnd(stream);
        }

        Marshal.FreeHGlobal(stream);
    }
}
