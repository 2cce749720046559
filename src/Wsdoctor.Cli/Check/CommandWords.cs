using System.Text;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Check;

/// <summary>Splits one line of a --targets file into words the way a POSIX shell does for the simple cases people
/// write: blanks separate words, '…' is literal, "…" keeps blanks and honours \" and \\, a backslash outside quotes
/// escapes the next character. No variables, globs or substitutions: the file is data, not a script.</summary>
public static class CommandWords
{
    /// <returns>The words, or null with <paramref name="error"/> set for an unterminated quote.</returns>
    public static IReadOnlyList<string>? Split(string line, out Text? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    continue;
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        error = T("unterminated ' quote", "未闭合的 ' 引号");
                        return null;
                    }

                    word.Append(line, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    i++;
                    while (i < line.Length && line[i] != '"')
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(line[i++]);
                    }

                    if (i >= line.Length)
                    {
                        error = T("unterminated \" quote", "未闭合的 \" 引号");
                        return null;
                    }

                    break;
                case '\\' when i + 1 < line.Length:
                    word.Append(line[++i]);
                    break;
                default:
                    word.Append(c);
                    break;
            }

            inWord = true;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        error = null;
        return words;
    }
}
