using System.Globalization;
using System.Text;

namespace Wsdoctor.Protocol;

/// <summary>Renders raw wire bytes for the evidence part of an error sentence: hex always (a TLS record or
/// an HTTP/2 frame is only recognisable by its bytes), text as well when the bytes are mostly text.</summary>
internal static class ByteEvidence
{
    private const int MaxQuotedChars = 80;

    /// <summary><c>15 03 01 00 02</c>, followed by the quoted text when at least half the bytes are printable.</summary>
    public static string HexAndText(ReadOnlySpan<byte> bytes)
    {
        var hex = Hex(bytes);
        int printable = 0;
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                printable++;
            }
        }

        return printable * 2 >= bytes.Length && bytes.Length > 0 ? $"{hex} ({Quote(bytes)})" : hex;
    }

    /// <summary>Space-separated upper-case hex, the way Wireshark and <c>xxd</c> show bytes.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Latin-1 text in double quotes with control bytes escaped (<c>\r</c>, <c>\x00</c>), cut at
    /// 80 characters so one absurd header line cannot swamp the report.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            if (builder.Length > MaxQuotedChars)
            {
                builder.Append("...");
                break;
            }

            switch (b)
            {
                case (byte)'\r': builder.Append("\\r"); break;
                case (byte)'\n': builder.Append("\\n"); break;
                case (byte)'\t': builder.Append("\\t"); break;
                case (byte)'"': builder.Append("\\\""); break;
                case (byte)'\\': builder.Append("\\\\"); break;
                case < 0x20 or 0x7F: builder.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture)); break;
                default: builder.Append((char)b); break;
            }
        }

        return builder.Append('"').ToString();
    }
}
