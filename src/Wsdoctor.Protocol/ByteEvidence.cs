using System.Globalization;
using System.Text;

namespace Wsdoctor.Protocol;

/// <summary>Renders raw wire bytes for evidence: hex always (a TLS record or an HTTP/2 frame is only recognisable
/// by its bytes), text as well when the bytes are mostly text. The one place that decides what is "text" and how
/// control bytes are escaped, for the parsers' error sentences and the probes' evidence lines alike.</summary>
public static class ByteEvidence
{
    private const int MaxQuotedChars = 80;

    /// <summary><c>15 03 01 00 02</c>, followed by the quoted text when at least half the bytes are printable.</summary>
    public static string HexAndText(ReadOnlySpan<byte> bytes) =>
        bytes.Length > 0 && Printable(bytes) * 2 >= bytes.Length ? $"{Hex(bytes)} ({Quote(bytes)})" : Hex(bytes);

    /// <summary>Space-separated upper-case hex, the way Wireshark and <c>xxd</c> show bytes; cut at
    /// <paramref name="max"/> bytes with a trailing "…".</summary>
    public static string Hex(ReadOnlySpan<byte> bytes, int max = int.MaxValue)
    {
        var shown = bytes[..Math.Min(max, bytes.Length)];
        var builder = new StringBuilder(shown.Length * 3);
        foreach (var b in shown)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return bytes.Length > max ? builder.Append(" …").ToString() : builder.ToString();
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

            AppendEscaped(builder, b, quoted: true);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>True when nine bytes in ten are printable: what a server sent is then shown as text.</summary>
    public static bool IsMostlyText(ReadOnlySpan<byte> bytes) => !bytes.IsEmpty && Printable(bytes) * 10 >= bytes.Length * 9;

    /// <summary>One line of text, control and non-ASCII bytes escaped, cut at <paramref name="max"/> characters.</summary>
    public static string Snippet(ReadOnlySpan<byte> bytes, int max = 120)
    {
        var builder = new StringBuilder();
        foreach (var b in bytes)
        {
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }

            AppendEscaped(builder, b, quoted: false);
        }

        return builder.ToString();
    }

    /// <summary>Quoted text when the bytes are text, otherwise hex (first 16 bytes).</summary>
    public static string Describe(ReadOnlySpan<byte> bytes) =>
        IsMostlyText(bytes) ? $"\"{Snippet(bytes)}\"" : Hex(bytes, 16);

    private static int Printable(ReadOnlySpan<byte> bytes)
    {
        var printable = 0;
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                printable++;
            }
        }

        return printable;
    }

    private static void AppendEscaped(StringBuilder builder, byte b, bool quoted)
    {
        switch (b)
        {
            case (byte)'\r': builder.Append("\\r"); break;
            case (byte)'\n': builder.Append("\\n"); break;
            case (byte)'\t': builder.Append("\\t"); break;
            case (byte)'"' when quoted: builder.Append("\\\""); break;
            case (byte)'\\' when quoted: builder.Append("\\\\"); break;
            case < 0x20 or >= 0x7F: builder.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture)); break;
            default: builder.Append((char)b); break;
        }
    }
}
