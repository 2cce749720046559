using System.Globalization;
using System.Text;

namespace Wsdoctor.Protocol.Text;

/// <summary>Error messages are one line on stderr, yet they quote what a file or a peer gave, which may hold line breaks
/// or other control characters: those are shown escaped (<c>\n</c>, <c>\r</c>, <c>\x1B</c>); a tab stays.</summary>
public static class OneLine
{
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(c => char.IsControl(c) && c != '\t'))
        {
            return text;
        }

        var line = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append(c),
                _ when char.IsControl(c) => line.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => line.Append(c),
            };
        }

        return line.ToString();
    }
}
