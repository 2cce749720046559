using System.Globalization;
using System.Text;
using Wsdoctor.Findings;

namespace Wsdoctor.Lint;

/// <summary>A configuration the program itself would refuse to load (a syntax error, an include that does not
/// exist, a time value it cannot parse). Returned as a value, never thrown: a bad configuration is input, not a bug.
/// The lint stops there, because every rule after it would judge a configuration that does not exist.</summary>
public sealed record ConfigError(SourceLocation Location, Text Message)
{
    /// <summary>Always one line: the words a message quotes come from the file and may hold line breaks or other
    /// control characters (an escaped newline, a stray CR), which are shown escaped (<c>\n</c>, <c>\x1B</c>).</summary>
    public Text Message { get; init; } = Message.Map(OneLine);

    /// <summary>English, as a compiler prints it: <c>path:line:col: message</c>.</summary>
    public override string ToString() => In(UiLanguage.English);

    /// <summary>The same line in <paramref name="language"/> (<see cref="UiLanguage"/>).</summary>
    public string In(string language) => $"{Location}: {Message.In(language)}";

    private static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.Any(char.IsControl))
        {
            return message;
        }

        var text = new StringBuilder(message.Length + 8);
        foreach (var c in message)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
