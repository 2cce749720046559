using System.Globalization;
using System.Text;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Haproxy;

/// <summary>Reads haproxy.cfg into sections, splitting lines as HAProxy's parse_line does: words separated by spaces
/// or tabs; <c>#</c> outside quotes starts a comment; <c>"..."</c> keeps spaces and resolves backslash escapes;
/// <c>'...'</c> keeps everything literally; outside quotes a backslash escapes the next character (<c>\ </c>,
/// <c>\#</c>, <c>\\</c>, <c>\"</c>, <c>\'</c>) or is <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\xHH</c>. Environment
/// variables (<c>$VAR</c>, <c>${VAR}</c>) are kept as written.</summary>
public static class HaproxyParser
{
    /// <summary>Section keywords (cfgparse.c's section list in HAProxy 2.6).</summary>
    private static readonly string[] SectionKeywords =
        ["global", "defaults", "frontend", "backend", "listen", "peers", "resolvers", "userlist", "mailers", "program", "http-errors", "ring", "cache", "fcgi-app", "crt-store", "traces"];

    public static ParseResult<HaproxyConfiguration> Parse(string text, string file)
    {
        var sections = new List<HaproxySection>();
        HaproxyLine? header = null;
        var lines = new List<HaproxyLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var split = Split(raw.TrimEnd('\r'), file, number);
            if (split.Error is not null)
            {
                return split.Error;
            }

            if (split.Line is not { } line)
            {
                continue;
            }

            if (SectionKeywords.Contains(line.Keyword))
            {
                if (header is not null)
                {
                    sections.Add(Section(header, lines));
                }

                header = line;
                lines = [];
            }
            else if (header is null)
            {
                return new ConfigError(line.Location, T($"unknown keyword '{line.Keyword}' out of section", $"未知关键字 '{line.Keyword}'，它不在任何段内"));
            }
            else
            {
                lines.Add(line);
            }
        }

        if (header is not null)
        {
            sections.Add(Section(header, lines));
        }

        return ParseResult<HaproxyConfiguration>.Success(new HaproxyConfiguration(file, sections));
    }

    private static HaproxySection Section(HaproxyLine header, List<HaproxyLine> lines)
    {
        // defaults [NAME] [from DEFAULTS]; frontend|backend|listen NAME [from DEFAULTS]
        var words = header.Words;
        var fromAt = -1;
        for (var i = 1; i < words.Count - 1; i++)
        {
            if (words[i] == "from")
            {
                fromAt = i;
            }
        }

        var name = words.Count > 1 && fromAt != 1 ? words[1] : null;
        var from = fromAt > 0 ? words[fromAt + 1] : null;
        return new HaproxySection(header.Keyword, name, from, header, lines.ToArray());
    }

    private static (HaproxyLine? Line, ConfigError? Error) Split(string raw, string file, int number)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var firstColumn = -1;
        var i = 0;
        char quote = '\0';
        var quoteColumn = 0;
        for (; i < raw.Length; i++)
        {
            var c = raw[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c == '\\' && i + 1 < raw.Length)
            {
                Begin(ref inWord, ref firstColumn, i);
                var next = raw[++i];
                switch (next)
                {
                    case 't':
                        word.Append('\t');
                        break;
                    case 'n':
                        word.Append('\n');
                        break;
                    case 'r':
                        word.Append('\r');
                        break;
                    case 'x' when i + 2 < raw.Length && byte.TryParse(raw.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b):
                        word.Append((char)b);
                        i += 2;
                        break;
                    default:
                        word.Append(next);
                        break;
                }

                continue;
            }

            if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c is ' ' or '\t')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            if (c == '#')
            {
                break;
            }

            Begin(ref inWord, ref firstColumn, i);
            if (c is '"' or '\'')
            {
                quote = c;
                quoteColumn = i + 1;
                continue;
            }

            word.Append(c);
        }

        if (quote != '\0')
        {
            return (null, new ConfigError(new SourceLocation(file, number, quoteColumn), T($"unmatched quote ({quote})", $"引号未闭合（{quote}）")));
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        if (words.Count == 0)
        {
            return (null, null);
        }

        var text = raw[..Math.Min(i, raw.Length)].Trim();
        return (new HaproxyLine(words, text, new SourceLocation(file, number, firstColumn + 1)), null);
    }

    private static void Begin(ref bool inWord, ref int firstColumn, int index)
    {
        if (!inWord)
        {
            inWord = true;
            if (firstColumn < 0)
            {
                firstColumn = index;
            }
        }
    }
}
