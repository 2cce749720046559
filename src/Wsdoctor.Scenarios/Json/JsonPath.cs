using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

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
    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] != '$')
        {
            throw new FormatException($"a JSON path starts with '$' (got '{text}')");
        }

        var segments = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                if (i + 1 < text.Length && text[i + 1] == '.')
                {
                    throw new FormatException($"'{text}': recursive descent (..) is not supported; name the exact path");
                }

                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0 || name == "*")
                {
                    throw new FormatException($"'{text}': a member name is expected after '.' at character {start + 1}");
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
                    throw new FormatException($"'{text}': [{inner}] is neither an index nor a quoted name (wildcards and filters are not supported)");
                }

                i = close + 1;
            }
            else
            {
                throw new FormatException($"'{text}': unexpected '{text[i]}' at character {i + 1}; use .name or ['name']");
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

        throw new FormatException($"'{text}': '[' at character {open + 1} is not closed");
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
                    throw new FormatException($"'{text}': a backslash ends the quoted name");
                }

                c = quoted[++i];
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
