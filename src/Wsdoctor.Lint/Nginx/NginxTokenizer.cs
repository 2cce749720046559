using System.Text;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx;

/// <summary>How a statement ended.</summary>
public enum NginxTerminator
{
    /// <summary><c>;</c>: a simple directive.</summary>
    Semicolon,

    /// <summary><c>{</c>: a block directive; its contents follow.</summary>
    BlockStart,

    /// <summary><c>}</c>: the end of the enclosing block (no words before it).</summary>
    BlockEnd,

    /// <summary>End of the file, between statements.</summary>
    EndOfFile,
}

/// <summary>nginx's configuration tokenizer, ported state for state from <c>ngx_conf_read_token</c>
/// (src/core/ngx_conf_file.c), so that what nginx reads is what the lint reads:
/// quotes open a string only at the start of a word (<c>a"b"</c> is one word with quotes in it); after a closing
/// quote only whitespace, <c>;</c>, <c>{</c> or <c>)</c> may follow; <c>#</c> starts a comment only at the start of a
/// word; a backslash protects the next character everywhere; <c>${</c> does not open a block, so <c>${var}</c> works;
/// <c>}</c> ends a block only at the start of a word. Strings may span lines.</summary>
public sealed class NginxTokenizer
{
    private readonly string text;
    private readonly string file;
    private int pos;
    private int line = 1;
    private int lineStart;

    public NginxTokenizer(string text, string file)
    {
        this.text = text;
        this.file = file;
    }

    /// <summary>Reads the next statement's words into <paramref name="words"/> and returns how it ended, or the
    /// error nginx would print (same wording).</summary>
    public (NginxTerminator Terminator, ConfigError? Error) Next(List<NginxWord> words)
    {
        words.Clear();
        var needSpace = false;
        var lastSpace = true;
        var sharpComment = false;
        var variable = false;
        var quoted = false;
        var sQuoted = false;
        var dQuoted = false;
        char? quote = null;
        var start = pos;
        var startRaw = pos;
        var startLocation = Here(pos);

        while (true)
        {
            if (pos >= text.Length)
            {
                if (words.Count > 0 || !lastSpace)
                {
                    return (NginxTerminator.EndOfFile, Error(pos, T("unexpected end of file, expecting \";\" or \"}\"", "文件意外结束，缺少 \";\" 或 \"}\"")));
                }

                return (NginxTerminator.EndOfFile, null);
            }

            var at = pos;
            var ch = text[pos++];
            if (ch == '\n')
            {
                line++;
                lineStart = pos;
                sharpComment = false;
            }

            if (sharpComment)
            {
                continue;
            }

            if (quoted)
            {
                quoted = false;
                continue;
            }

            if (needSpace)
            {
                if (IsSpace(ch))
                {
                    lastSpace = true;
                    needSpace = false;
                    continue;
                }

                if (ch == ';')
                {
                    return (NginxTerminator.Semicolon, null);
                }

                if (ch == '{')
                {
                    return (NginxTerminator.BlockStart, null);
                }

                if (ch != ')')
                {
                    return (NginxTerminator.EndOfFile, Error(at, T($"unexpected \"{ch}\"", $"此处不应出现 \"{ch}\"")));
                }

                // `if ($a = "b")`: the parenthesis after a quoted string starts a word of its own.
                lastSpace = true;
                needSpace = false;
            }

            if (lastSpace)
            {
                start = at;
                startRaw = at;
                startLocation = Here(at);
                quote = null;
                if (IsSpace(ch))
                {
                    continue;
                }

                switch (ch)
                {
                    case ';' or '{':
                        if (words.Count == 0)
                        {
                            return (NginxTerminator.EndOfFile, Error(at, T($"unexpected \"{ch}\"", $"此处不应出现 \"{ch}\"")));
                        }

                        return (ch == '{' ? NginxTerminator.BlockStart : NginxTerminator.Semicolon, null);
                    case '}':
                        if (words.Count != 0)
                        {
                            return (NginxTerminator.EndOfFile, Error(at, T("unexpected \"}\"", "此处不应出现 \"}\"")));
                        }

                        return (NginxTerminator.BlockEnd, null);
                    case '#':
                        sharpComment = true;
                        continue;
                    case '\\':
                        quoted = true;
                        lastSpace = false;
                        continue;
                    case '"':
                        start++;
                        dQuoted = true;
                        quote = '"';
                        lastSpace = false;
                        continue;
                    case '\'':
                        start++;
                        sQuoted = true;
                        quote = '\'';
                        lastSpace = false;
                        continue;
                    case '$':
                        variable = true;
                        lastSpace = false;
                        continue;
                    default:
                        lastSpace = false;
                        break;
                }
            }
            else
            {
                if (ch == '{' && variable)
                {
                    continue;
                }

                variable = false;
                if (ch == '\\')
                {
                    quoted = true;
                    continue;
                }

                if (ch == '$')
                {
                    variable = true;
                    continue;
                }

                var found = false;
                if (dQuoted)
                {
                    if (ch == '"')
                    {
                        dQuoted = false;
                        needSpace = true;
                        found = true;
                    }
                }
                else if (sQuoted)
                {
                    if (ch == '\'')
                    {
                        sQuoted = false;
                        needSpace = true;
                        found = true;
                    }
                }
                else if (IsSpace(ch) || ch == ';' || ch == '{')
                {
                    lastSpace = true;
                    found = true;
                }

                if (found)
                {
                    var rawEnd = quote is null ? at : at + 1;
                    words.Add(new NginxWord(Unescape(text.AsSpan(start, at - start)), text[startRaw..rawEnd], quote, startLocation));
                    if (ch == ';')
                    {
                        return (NginxTerminator.Semicolon, null);
                    }

                    if (ch == '{')
                    {
                        return (NginxTerminator.BlockStart, null);
                    }
                }
            }
        }
    }

    /// <summary>Where the tokenizer is now (for "unexpected end of file, expecting }" at the end).</summary>
    public SourceLocation Position => Here(pos);

    private static bool IsSpace(char ch) => ch is ' ' or '\t' or '\r' or '\n';

    /// <summary>The escapes nginx resolves when it copies a word (the loop at the end of ngx_conf_read_token); any
    /// other backslash stays as written, which is why regular expressions survive unquoted.</summary>
    private static string Unescape(ReadOnlySpan<char> raw)
    {
        if (raw.IndexOf('\\') < 0)
        {
            return raw.ToString();
        }

        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                switch (raw[i + 1])
                {
                    case '"' or '\'' or '\\':
                        i++;
                        break;
                    case 't':
                        sb.Append('\t');
                        i++;
                        continue;
                    case 'r':
                        sb.Append('\r');
                        i++;
                        continue;
                    case 'n':
                        sb.Append('\n');
                        i++;
                        continue;
                }
            }

            sb.Append(raw[i]);
        }

        return sb.ToString();
    }

    private SourceLocation Here(int offset)
    {
        // Columns count from the start of the line the offset is on; the offset is never before lineStart except
        // for the LF itself, which belongs to the previous line.
        var begin = offset >= lineStart ? lineStart : text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        var lineNumber = offset >= lineStart ? line : line - 1;
        return new SourceLocation(file, lineNumber, offset - begin + 1);
    }

    private ConfigError Error(int offset, Findings.Text message) => new(Here(Math.Min(offset, text.Length)), message);
}
