using System.Text;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Loading;

/// <summary><c>${NAME}</c> and <c>${NAME:-default}</c> in a scenario file's values, replaced when the file is read;
/// <c>$${</c> writes a literal <c>${</c>. An unset variable without a default is an error, so a missing secret
/// fails before anything is sent.</summary>
internal static class EnvironmentText
{
    /// <exception cref="EnvironmentTextException">An unset variable, or a <c>${</c> that is not closed.</exception>
    public static string Expand(string text, Func<string, string?> environment)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '$' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                builder.Append("${");
                i += 2;
                continue;
            }

            if (c != '$' || i + 1 >= text.Length || text[i + 1] != '{')
            {
                builder.Append(c);
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                throw new EnvironmentTextException(T($"'${{' at character {i + 1} is not closed with '}}' (write $${{ for a literal)", $"第 {i + 1} 个字符处的 '${{' 没有用 '}}' 闭合（字面的 ${{ 要写成 $${{）"));
            }

            var inner = text[(i + 2)..close];
            var split = inner.IndexOf(":-", StringComparison.Ordinal);
            var name = split < 0 ? inner : inner[..split];
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                throw new EnvironmentTextException(T($"'${{{inner}}}' is not an environment variable name", $"“${{{inner}}}”不是合法的环境变量名"));
            }

            var value = environment(name);
            if (value is null or "" && split >= 0)
            {
                value = inner[(split + 2)..];
            }

            builder.Append(value ?? throw new EnvironmentTextException(T($"the environment variable {name} is not set (write ${{{name}:-default}} to give a default)", $"环境变量 {name} 未设置（要给默认值，请写 ${{{name}:-default}}）")));
            i = close;
        }

        return builder.ToString();
    }
}

/// <summary>Why a value's <c>${NAME}</c> cannot be expanded, in every language.</summary>
internal sealed class EnvironmentTextException(Text text) : FormatException(text.En)
{
    public Text Text { get; } = text;
}
