using System.Text;

namespace Wsdoctor.Scenarios.Loading;

/// <summary><c>${NAME}</c> and <c>${NAME:-default}</c> in a scenario file's values, replaced when the file is read;
/// <c>$${</c> writes a literal <c>${</c>. An unset variable without a default is an error, so a missing secret
/// fails before anything is sent.</summary>
internal static class EnvironmentText
{
    /// <exception cref="FormatException">An unset variable, or a <c>${</c> that is not closed.</exception>
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
                throw new FormatException($"'${{' at character {i + 1} is not closed with '}}' (write $${{ for a literal)");
            }

            var inner = text[(i + 2)..close];
            var split = inner.IndexOf(":-", StringComparison.Ordinal);
            var name = split < 0 ? inner : inner[..split];
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                throw new FormatException($"'${{{inner}}}' is not an environment variable name");
            }

            var value = environment(name);
            if (value is null or "" && split >= 0)
            {
                value = inner[(split + 2)..];
            }

            builder.Append(value ?? throw new FormatException($"the environment variable {name} is not set (write ${{{name}:-default}} to give a default)"));
            i = close;
        }

        return builder.ToString();
    }
}
