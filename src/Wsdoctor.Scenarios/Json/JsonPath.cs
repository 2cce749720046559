using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Json;

/// <summary>The part of JSONPath (RFC 9535) that names one value: <c>$</c>, <c>.name</c>, <c>['name']</c> or
/// <c>["name"]</c>, <c>[0]</c> and <c>[-1]</c> (counted from the end). Wildcards, filters and recursive descent are
/// left out on purpose: an expectation must point at exactly one value, so that its failure can say which.</summary>
public sealed class JsonPath
{
    private readonly object[] _segments; // string (member) or int (index)

    private JsonPath(string text, object[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <exception cref="FormatException">The text is not a path of this form; the message says where.</exception>
    public static JsonPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException(error.En);

    /// <summary>The path, or why <paramref name="text"/> is not one, in every language.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPath? path, [NotNullWhen(false)] out Text? error)
    {
        try
        {
            path = Read(text);
            error = null;
            return true;
        }
        catch (PathSyntaxException ex)
        {
            path = null;
            error = ex.Text;
            return false;
        }
    }

    private static JsonPath Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] != '$')
        {
            throw new PathSyntaxException(T($"a JSON path starts with '$' (got '{text}')", $"JSON 路径必须以 '$' 开头（收到的是“{text}”）"));
        }

        var segments = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                if (i + 1 < text.Length && text[i + 1] == '.')
                {
                    throw new PathSyntaxException(T($"'{text}': recursive descent (..) is not supported; name the exact path", $"“{text}”：不支持递归下降（..），请写出确切的路径"));
                }

                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0 || name == "*")
                {
                    throw new PathSyntaxException(T($"'{text}': a member name is expected after '.' at character {start + 1}", $"“{text}”：第 {start + 1} 个字符处的 '.' 后面应当是成员名"));
                }

                segments.Add(name);
            }
            else if (text[i] == '[')
            {
                var close = FindClose(text, i);
                var inner = text[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    segments.Add(Unquote(inner, text));
                }
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    throw new PathSyntaxException(T($"'{text}': [{inner}] is neither an index nor a quoted name (wildcards and filters are not supported)", $"“{text}”：[{inner}] 既不是索引，也不是带引号的名称（不支持通配符和过滤器）"));
                }

                i = close + 1;
            }
            else
            {
                throw new PathSyntaxException(T($"'{text}': unexpected '{text[i]}' at character {i + 1}; use .name or ['name']", $"“{text}”：第 {i + 1} 个字符 '{text[i]}' 不该出现在这里；请用 .name 或 ['name']"));
            }
        }

        return new JsonPath(text, [.. segments]);
    }

    /// <summary>The value at the path; <c>Found</c> is false when a member or index is missing (a JSON null that is
    /// present is found, with a null node).</summary>
    public (bool Found, JsonNode? Value) Evaluate(JsonNode? root)
    {
        var current = root;
        foreach (var segment in _segments)
        {
            switch (segment)
            {
                case string name when current is JsonObject obj && obj.TryGetPropertyValue(name, out var child):
                    current = child;
                    break;
                case int index when current is JsonArray array:
                    var at = index < 0 ? array.Count + index : index;
                    if (at < 0 || at >= array.Count)
                    {
                        return (false, null);
                    }

                    current = array[at];
                    break;
                default:
                    return (false, null);
            }
        }

        return (true, current);
    }

    /// <summary>The path of a member or element below this one, written the way Parse reads it back.</summary>
    public static string Child(string parent, string member) =>
        IsPlainName(member) ? $"{parent}.{member}" : $"{parent}['{member.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Child(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    public override string ToString() => Text;

    private static bool IsPlainName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$') && !char.IsAsciiDigit(name[0]);

    private static int FindClose(string text, int open)
    {
        char? quote = null;
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        throw new PathSyntaxException(T($"'{text}': '[' at character {open + 1} is not closed", $"“{text}”：第 {open + 1} 个字符处的 '[' 没有闭合"));
    }

    private static string Unquote(string quoted, string text)
    {
        var builder = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            var c = quoted[i];
            if (c == '\\')
            {
                if (i + 1 >= quoted.Length - 1)
                {
                    throw new PathSyntaxException(T($"'{text}': a backslash ends the quoted name", $"“{text}”：带引号的名称以反斜杠结尾"));
                }

                c = quoted[++i];
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private sealed class PathSyntaxException(Text text) : Exception(text.En)
    {
        public Text Text { get; } = text;
    }
}
