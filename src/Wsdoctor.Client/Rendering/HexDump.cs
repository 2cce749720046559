using System.Text;

namespace Wsdoctor.Client.Rendering;

/// <summary>Binary messages as `xxd`/`hexdump -C` show them: offset, 16 bytes in hex, then the printable ASCII.</summary>
public static class HexDump
{
    public static IReadOnlyList<string> Lines(ReadOnlySpan<byte> data, int maxBytes = 4096)
    {
        var lines = new List<string>();
        var shown = data[..Math.Min(data.Length, maxBytes)];
        for (var offset = 0; offset < shown.Length; offset += 16)
        {
            var row = shown[offset..Math.Min(offset + 16, shown.Length)];
            var line = new StringBuilder();
            line.Append(offset.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                line.Append(i < row.Length ? row[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) : "  ");
                line.Append(i == 7 ? "  " : " ");
            }

            line.Append(" |");
            foreach (var b in row)
            {
                line.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }

            lines.Add(line.Append('|').ToString());
        }

        if (data.Length > shown.Length)
        {
            lines.Add($"... {data.Length - shown.Length} more bytes");
        }

        return lines;
    }

    /// <summary>One line of plain hex for pipe mode: a line per message keeps `wc -l` and `read` meaningful.</summary>
    public static string Compact(ReadOnlySpan<byte> data) => Convert.ToHexString(data).ToLowerInvariant();
}
