using System.Runtime.InteropServices;

namespace Wsdoctor.Conform.Deflate;

/// <summary>The system zlib (libz.so.1), because permessage-deflate needs what System.IO.Compression does not
/// expose: a chosen LZ77 window (RFC 7692 7.1.2: client_max_window_bits / server_max_window_bits 8-15) and a
/// sync flush that ends each message on a byte boundary (RFC 7692 7.2.1).</summary>
internal static partial class Zlib
{
    private const string Library = "libz.so.1";

    public const int NoFlush = 0;
    public const int SyncFlush = 2;
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int BufError = -5;
    public const int Deflated = 8;
    public const int DefaultStrategy = 0;

    // The z_stream of zlib.h on LP64 Linux: pointers and uLong are 8 bytes, uInt and int 4.
    public const int StreamSize = 112;
    public const int NextIn = 0;
    public const int AvailIn = 8;
    public const int NextOut = 24;
    public const int AvailOut = 32;

    // zlib only compares the first character of the version it was built with ("1").
    public static readonly IntPtr Version = Marshal.StringToHGlobalAnsi("1.2.13");

    [DllImport(Library, EntryPoint = "deflateInit2_")]
    public static extern int DeflateInit2(IntPtr stream, int level, int method, int windowBits, int memLevel, int strategy, IntPtr version, int streamSize);

    [DllImport(Library, EntryPoint = "deflate")]
    public static extern int Deflate(IntPtr stream, int flush);

    [DllImport(Library, EntryPoint = "deflateReset")]
    public static extern int DeflateReset(IntPtr stream);

    [DllImport(Library, EntryPoint = "deflateEnd")]
    public static extern int DeflateEnd(IntPtr stream);

    [DllImport(Library, EntryPoint = "inflateInit2_")]
    public static extern int InflateInit2(IntPtr stream, int windowBits, IntPtr version, int streamSize);

    [DllImport(Library, EntryPoint = "inflate")]
    public static extern int Inflate(IntPtr stream, int flush);

    [DllImport(Library, EntryPoint = "inflateReset")]
    public static extern int InflateReset(IntPtr stream);

    [DllImport(Library, EntryPoint = "inflateEnd")]
    public static extern int InflateEnd(IntPtr stream);

    /// <summary>A zeroed z_stream at a fixed address: zlib keeps a pointer back to it and refuses a moved one.</summary>
    public static IntPtr AllocateStream()
    {
        var stream = Marshal.AllocHGlobal(StreamSize);
        for (int i = 0; i < StreamSize; i += 8)
        {
            Marshal.WriteInt64(stream, i, 0);
        }

        return stream;
    }

    public static void SetInput(IntPtr stream, IntPtr data, int length)
    {
        Marshal.WriteIntPtr(stream, NextIn, data);
        Marshal.WriteInt32(stream, AvailIn, length);
    }

    public static void SetOutput(IntPtr stream, IntPtr data, int length)
    {
        Marshal.WriteIntPtr(stream, NextOut, data);
        Marshal.WriteInt32(stream, AvailOut, length);
    }

    public static int InputLeft(IntPtr stream) => Marshal.ReadInt32(stream, AvailIn);

    public static int OutputLeft(IntPtr stream) => Marshal.ReadInt32(stream, AvailOut);
}
