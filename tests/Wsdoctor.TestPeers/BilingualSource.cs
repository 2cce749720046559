using System.Text;

namespace Wsdoctor.TestPeers;

/// <summary>Reads C# source for the bilingual texts written with <c>T(english, chinese)</c> (Wsdoctor.Findings.Text)
/// and <c>Verbatim("...")</c>, so a test can check every translation in the code, including those on paths no test
/// reaches. A small lexer, not a compiler: it knows comments, character literals and every kind of string literal
/// (regular, verbatim, interpolated with nested holes, raw), which is all it needs to find the arguments.</summary>
public static class BilingualSource
{
    /// <summary>One argument found: where it starts, and the literal text of its string literals (the holes of
    /// interpolated strings, which are values filled in, left out).</summary>
    public sealed record Argument(int Line, string Literal);

    /// <summary>The Chinese (second) argument of every <c>T(</c> / <c>Text.T(</c> call.</summary>
    public static IReadOnlyList<Argument> ChineseArguments(string source) => Calls(source, "T", argument: 1, literalOnly: false);

    /// <summary>The argument of every <c>Verbatim(</c> / <c>Text.Verbatim(</c> call whose argument is one string
    /// literal (an expression that builds the text, such as a config block, is not read).</summary>
    public static IReadOnlyList<Argument> VerbatimArguments(string source) => Calls(source, "Verbatim", argument: 0, literalOnly: true);

    private static List<Argument> Calls(string source, string name, int argument, bool literalOnly)
    {
        ArgumentNullException.ThrowIfNull(source);
        var found = new List<Argument>();
        var i = 0;
        // Bounded: every step advances i.
        while (i < source.Length)
        {
            if (SkipNonCode(source, ref i))
            {
                continue;
            }

            if (IsCall(source, i, name))
            {
                var start = i + name.Length + 1;
                var args = Arguments(source, start);
                if (argument < args.Count)
                {
                    var (from, to) = args[argument];
                    var literal = new StringBuilder();
                    CollectLiterals(source, from, to, literal);
                    if (literal.Length > 0 && (!literalOnly || IsOneLiteral(source, from, to)))
                    {
                        found.Add(new Argument(LineOf(source, from), literal.ToString()));
                    }
                }

                // Go on inside the call: nested calls are found too.
                i = start;
                continue;
            }

            i++;
        }

        return found;
    }

    private static bool IsOneLiteral(string s, int from, int to)
    {
        var start = from;
        while (start < to && char.IsWhiteSpace(s[start]))
        {
            start++;
        }

        if (start >= to || !IsStringStart(s, start))
        {
            return false;
        }

        var end = ReadString(s, start, null);
        while (end < to && char.IsWhiteSpace(s[end]))
        {
            end++;
        }

        return end == to;
    }

    private static bool IsCall(string s, int i, string name)
    {
        if (string.CompareOrdinal(s, i, name + "(", 0, name.Length + 1) != 0)
        {
            return false;
        }

        if (i == 0)
        {
            return true;
        }

        var before = s[i - 1];
        if (char.IsLetterOrDigit(before) || before == '_')
        {
            return false;
        }

        // Member access: only Text.T / Text.Verbatim, not someObject.T(...).
        return before != '.' || (i >= 5 && string.CompareOrdinal(s, i - 5, "Text.", 0, 5) == 0 && (i == 5 || !char.IsLetterOrDigit(s[i - 6])));
    }

    /// <summary>The argument spans of a call whose '(' is just before <paramref name="start"/>.</summary>
    private static List<(int From, int To)> Arguments(string s, int start)
    {
        var spans = new List<(int, int)>();
        var depth = 0;
        var from = start;
        var i = start;
        while (i < s.Length)
        {
            if (SkipNonCode(s, ref i))
            {
                continue;
            }

            var c = s[i];
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    spans.Add((from, i));
                    return spans;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                spans.Add((from, i));
                from = i + 1;
            }

            i++;
        }

        return spans;
    }

    private static void CollectLiterals(string s, int from, int to, StringBuilder literal)
    {
        var i = from;
        while (i < to)
        {
            var next = SkipTrivia(s, i);
            if (next != i)
            {
                i = next;
                continue;
            }

            if (IsStringStart(s, i))
            {
                if (literal.Length > 0)
                {
                    literal.Append('\n');
                }

                i = ReadString(s, i, literal);
                continue;
            }

            i++;
        }
    }

    /// <summary>Moves <paramref name="i"/> past a comment, character literal or string literal starting there; false
    /// when none starts at <paramref name="i"/>.</summary>
    private static bool SkipNonCode(string s, ref int i)
    {
        var next = SkipTrivia(s, i);
        if (next == i && IsStringStart(s, i))
        {
            next = ReadString(s, i, null);
        }

        var moved = next != i;
        i = next;
        return moved;
    }

    /// <summary>Past a comment or a character literal; <paramref name="i"/> itself when there is none.</summary>
    private static int SkipTrivia(string s, int i)
    {
        if (i + 1 < s.Length && s[i] == '/' && s[i + 1] == '/')
        {
            var end = s.IndexOf('\n', i);
            return end < 0 ? s.Length : end + 1;
        }

        if (i + 1 < s.Length && s[i] == '/' && s[i + 1] == '*')
        {
            var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return end < 0 ? s.Length : end + 2;
        }

        if (s[i] == '\'')
        {
            // 'x', '\n', '\'', '\u0041'.
            var j = i + 1;
            while (j < s.Length && s[j] != '\'')
            {
                j += s[j] == '\\' ? 2 : 1;
            }

            return Math.Min(s.Length, j + 1);
        }

        return i;
    }

    /// <summary>A string literal starts here: '"', or up to three '$'/'@' and then '"'.</summary>
    private static bool IsStringStart(string s, int i)
    {
        var j = i;
        while (j < s.Length && j - i < 3 && (s[j] == '$' || s[j] == '@'))
        {
            j++;
        }

        return j < s.Length && s[j] == '"';
    }

    /// <summary>Reads one string literal starting at <paramref name="i"/>; appends its literal text (not its holes) to
    /// <paramref name="literal"/> when given. Returns the index just past it.</summary>
    private static int ReadString(string s, int i, StringBuilder? literal)
    {
        var dollars = 0;
        var verbatim = false;
        while (s[i] is '$' or '@')
        {
            if (s[i] == '$')
            {
                dollars++;
            }
            else
            {
                verbatim = true;
            }

            i++;
        }

        var quotes = 0;
        while (i + quotes < s.Length && s[i + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            return ReadRaw(s, i, quotes, dollars, literal);
        }

        // quotes is 1, or 2 for the empty string "".
        if (quotes == 2)
        {
            return i + 2;
        }

        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (verbatim && c == '"' && i + 1 < s.Length && s[i + 1] == '"')
            {
                literal?.Append('"');
                i += 2;
                continue;
            }

            if (c == '"')
            {
                return i + 1;
            }

            if (!verbatim && c == '\\')
            {
                literal?.Append(Unescape(s[i + 1]));
                i += 2;
                continue;
            }

            if (dollars > 0 && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{')
                {
                    literal?.Append('{');
                    i += 2;
                    continue;
                }

                i = SkipHole(s, i + 1);
                literal?.Append(' ');
                continue;
            }

            if (dollars > 0 && c == '}' && i + 1 < s.Length && s[i + 1] == '}')
            {
                literal?.Append('}');
                i += 2;
                continue;
            }

            literal?.Append(c);
            i++;
        }

        return i;
    }

    private static int ReadRaw(string s, int i, int quotes, int dollars, StringBuilder? literal)
    {
        var close = new string('"', quotes);
        var j = i + quotes;
        while (j < s.Length)
        {
            if (string.CompareOrdinal(s, j, close, 0, quotes) == 0)
            {
                return j + quotes;
            }

            if (dollars > 0 && s[j] == '{' && string.CompareOrdinal(s, j, new string('{', dollars), 0, dollars) == 0)
            {
                j = SkipHole(s, j + dollars);
                // The hole closes with as many braces as the literal has dollars.
                for (var k = 1; k < dollars && j < s.Length && s[j] == '}'; k++)
                {
                    j++;
                }

                literal?.Append(' ');
                continue;
            }

            literal?.Append(s[j]);
            j++;
        }

        return j;
    }

    /// <summary>Past the '}' that closes an interpolation hole whose content starts at <paramref name="i"/>.</summary>
    private static int SkipHole(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (IsStringStart(s, i))
            {
                i = ReadString(s, i, null);
                continue;
            }

            var c = s[i];
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (c == '}')
            {
                if (depth == 0)
                {
                    return i + 1;
                }

                depth--;
            }

            i++;
        }

        return i;
    }

    private static char Unescape(char c) => c switch
    {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        _ => c,
    };

    private static int LineOf(string s, int index)
    {
        var line = 1;
        for (var k = 0; k < index && k < s.Length; k++)
        {
            if (s[k] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
