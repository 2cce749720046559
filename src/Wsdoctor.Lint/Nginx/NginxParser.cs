using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx;

/// <summary>Turns one file's text into its directive tree, as <c>ngx_conf_parse</c> does: a <c>}</c> with no open
/// block and the end of the file inside a block are errors, with nginx's wording. Includes are not followed here
/// (see <see cref="NginxIncludes"/>).</summary>
public static class NginxParser
{
    /// <summary>Deeper than any real configuration (http → server → location → nested location → if).</summary>
    public const int MaxDepth = 64;

    public static ParseResult<IReadOnlyList<NginxDirective>> Parse(string text, string file)
    {
        var tokenizer = new NginxTokenizer(text, file);
        var words = new List<NginxWord>();
        return ParseBlock(tokenizer, words, depth: 0);
    }

    private static ParseResult<IReadOnlyList<NginxDirective>> ParseBlock(NginxTokenizer tokenizer, List<NginxWord> words, int depth)
    {
        var directives = new List<NginxDirective>();
        while (true)
        {
            var (terminator, error) = tokenizer.Next(words);
            if (error is not null)
            {
                return error;
            }

            switch (terminator)
            {
                case NginxTerminator.EndOfFile when depth > 0:
                    return new ConfigError(tokenizer.Position, T("unexpected end of file, expecting \"}\"", "文件意外结束，缺少 \"}\""));
                case NginxTerminator.EndOfFile:
                    return ParseResult<IReadOnlyList<NginxDirective>>.Success(directives);
                case NginxTerminator.BlockEnd when depth == 0:
                    return new ConfigError(new SourceLocation(tokenizer.Position.File, tokenizer.Position.Line, Math.Max(1, tokenizer.Position.Column - 1)), T("unexpected \"}\"", "此处不应出现 \"}\""));
                case NginxTerminator.BlockEnd:
                    return ParseResult<IReadOnlyList<NginxDirective>>.Success(directives);
                case NginxTerminator.Semicolon:
                    directives.Add(new NginxDirective(words.ToArray(), null));
                    break;
                case NginxTerminator.BlockStart:
                    var header = words.ToArray();
                    if (depth + 1 > MaxDepth)
                    {
                        return new ConfigError(header[0].Location, T($"blocks nested deeper than {MaxDepth} levels", $"块嵌套超过 {MaxDepth} 层"));
                    }

                    var inner = ParseBlock(tokenizer, words, depth + 1);
                    if (!inner.Ok)
                    {
                        return inner.Error;
                    }

                    directives.Add(new NginxDirective(header, inner.Value));
                    break;
            }
        }
    }
}
