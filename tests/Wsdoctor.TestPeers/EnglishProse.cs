using System.Text.RegularExpressions;

namespace Wsdoctor.TestPeers;

/// <summary>Finds English prose left in a translated text. Code (fenced and inline), URLs, quoted strings
/// (error texts quoted from browsers and libraries) and an allowlist of proper nouns are removed first;
/// then a run of 4+ consecutive English words, or a line of 3+ English words without a single Chinese
/// character, is an offence.</summary>
public static partial class EnglishProse
{
    public sealed record Offence(int Line, string Text);

    // Multi-word names that are never translated (glossary: product and protocol names).
    private static readonly string[] ProperNouns =
    [
        "ASP.NET Core", "Azure SignalR", "RabbitMQ Web STOMP", "Let's Encrypt", "Happy Eyeballs",
        "Local Network Access", "Docker Compose", "Apollo Client", "Chrome DevTools",
        "SSL certificate verification", "Mixed Content", "Certificate Transparency", "Secure Contexts",
        "GraphQL over WebSocket", "MQTT over WebSocket", "STOMP over WebSocket", "AWS ALB",
    ];

    public static IReadOnlyList<Offence> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stripped = Strip(text.ReplaceLineEndings("\n"));
        var offences = new List<Offence>();
        var lines = stripped.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var run = WordRun().Match(line);
            var words = Word().Count(line);
            if (run.Success)
            {
                offences.Add(new Offence(i + 1, run.Value));
            }
            else if (words >= 3 && !Cjk().IsMatch(line))
            {
                offences.Add(new Offence(i + 1, line.Trim()));
            }
        }

        return offences;
    }

    /// <summary>Blanks everything that legitimately stays English, keeping line numbers.</summary>
    private static string Strip(string text)
    {
        var lines = text.Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (fence || inFence)
            {
                lines[i] = "";
            }

            inFence ^= fence;
        }

        var result = string.Join('\n', lines);
        result = InlineCode().Replace(result, Blank);
        result = Quoted().Replace(result, Blank);
        result = Url().Replace(result, Blank);
        foreach (var noun in ProperNouns)
        {
            result = result.Replace(noun, "", StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>Replaces a match by its newlines only, so later line numbers stay right.</summary>
    private static string Blank(Match match) => new('\n', match.Value.Count(c => c == '\n'));

    // Inline code may wrap over a few lines (a quoted browser message, for example).
    [GeneratedRegex(@"`[^`]{0,400}`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://[^\s）)，。；]*", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"""[^""\n]*(\n[^""\n]*)?""|“[^”]*”")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"(?<![\w.-])[A-Za-z][\w.'’+#/-]*")]
    public static partial Regex Word();

    [GeneratedRegex(@"(?<![\w.-])[A-Za-z][\w.'’+#/-]*(?:[ ]+[A-Za-z][\w.'’+#/-]*){3,}")]
    public static partial Regex WordRun();

    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}\p{IsCJKSymbolsandPunctuation}\p{IsHalfwidthandFullwidthForms}]")]
    public static partial Regex Cjk();
}
