using System.Text;

namespace Wsdoctor.Probes.Net;

/// <summary>Renders bytes a server sent for evidence lines: printable text where it is text, hex where it is not.</summary>
internal static class ByteText
{
    public static string Hex(ReadOnlySpan<byte> data, int max = 16)
    {
        var shown = data[..Math.Min(max, data.Length)];
        var hex = Convert.ToHexString(shown);
        var sb = new StringBuilder();
        for (var i = 0; i < hex.Length; i += 2)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(hex, i, 2);
        }

        return data.Length > max ? sb.Append(" …").ToString() : sb.ToString();
    }

    public static bool IsMostlyText(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        var printable = 0;
        foreach (var b in data)
        {
            if (b is >= 0x20 and < 0x7f or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                printable++;
            }
        }

        return printable * 10 >= data.Length * 9;
    }

    /// <summary>One line of text: control characters shown as escapes, cut at <paramref name="max"/> characters.</summary>
    public static string Snippet(ReadOnlySpan<byte> data, int max = 120)
    {
        var text = Encoding.Latin1.GetString(data[..Math.Min(data.Length, max * 2)]);
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }

            sb.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' or > '~' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Text when the bytes are text, otherwise hex.</summary>
    public static string Describe(ReadOnlySpan<byte> data) =>
        IsMostlyText(data) ? $"\"{Snippet(data)}\"" : Hex(data);
}
