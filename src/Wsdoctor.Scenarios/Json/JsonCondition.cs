using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Json;

/// <summary>How a value at a path is tested in <c>where:</c>.</summary>
public enum JsonTest
{
    Equals,
    NotEquals,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Exists,
    Regex,
    Contains,
    Type,
    Length,
}

/// <summary>One test of one path: <c>$.count: { ">=": 3 }</c>. <see cref="Expected"/> is the written value
/// (for Exists a boolean, for Type a type name, for Regex the pattern text).</summary>
public sealed record JsonCondition(JsonPath Path, JsonTest Test, JsonNode? Expected, Regex? Pattern)
{
    public static readonly IReadOnlyDictionary<string, JsonTest> Keywords = new Dictionary<string, JsonTest>(StringComparer.Ordinal)
    {
        ["equals"] = JsonTest.Equals, ["=="] = JsonTest.Equals,
        ["not"] = JsonTest.NotEquals, ["!="] = JsonTest.NotEquals,
        ["gt"] = JsonTest.Greater, [">"] = JsonTest.Greater,
        ["gte"] = JsonTest.GreaterOrEqual, [">="] = JsonTest.GreaterOrEqual,
        ["lt"] = JsonTest.Less, ["<"] = JsonTest.Less,
        ["lte"] = JsonTest.LessOrEqual, ["<="] = JsonTest.LessOrEqual,
        ["exists"] = JsonTest.Exists,
        ["regex"] = JsonTest.Regex,
        ["contains"] = JsonTest.Contains,
        ["type"] = JsonTest.Type,
        ["length"] = JsonTest.Length,
    };

    public static readonly IReadOnlySet<string> TypeNames = new HashSet<string>(StringComparer.Ordinal) { "string", "number", "integer", "boolean", "object", "array", "null" };

    /// <summary>Null when the condition holds; otherwise what was found, for the report.</summary>
    public Text? Check(JsonNode? document)
    {
        var (found, value) = Path.Evaluate(document);
        if (Test == JsonTest.Exists)
        {
            var wanted = Expected is JsonValue v && v.GetValueKind() == JsonValueKind.False ? false : true;
            return found == wanted ? null : found ? T($"{Path} is present ({JsonValues.Show(value, 80)})", $"{Path} 存在（{JsonValues.Show(value, 80)}）") : Missing();
        }

        if (!found)
        {
            return Missing();
        }

        var shown = T($"{Path} is {JsonValues.Show(value, 80)}", $"{Path} 为 {JsonValues.Show(value, 80)}");
        switch (Test)
        {
            case JsonTest.Equals:
                return JsonValues.DeepEquals(Expected, value) ? null : shown;
            case JsonTest.NotEquals:
                return JsonValues.DeepEquals(Expected, value) ? shown : null;
            case JsonTest.Greater or JsonTest.GreaterOrEqual or JsonTest.Less or JsonTest.LessOrEqual:
                if (!JsonValues.TryNumber(value, out var actual))
                {
                    return T($"{shown}, not a number", $"{shown}，不是数字");
                }

                JsonValues.TryNumber(Expected, out var bound);
                var holds = Test switch
                {
                    JsonTest.Greater => actual > bound,
                    JsonTest.GreaterOrEqual => actual >= bound,
                    JsonTest.Less => actual < bound,
                    _ => actual <= bound,
                };
                return holds ? null : shown;
            case JsonTest.Regex:
                var text = value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : JsonValues.Show(value, int.MaxValue);
                return Matches(Pattern!, text) ? null : shown;
            case JsonTest.Contains:
                return value switch
                {
                    JsonArray array => array.Any(item => JsonValues.DeepEquals(item, Expected)) ? null : T($"{shown}, which does not contain {JsonValues.Show(Expected, 80)}", $"{shown}，其中不包含 {JsonValues.Show(Expected, 80)}"),
                    JsonValue sv when sv.GetValueKind() == JsonValueKind.String && Expected is JsonValue ev && ev.GetValueKind() == JsonValueKind.String =>
                        sv.GetValue<string>().Contains(ev.GetValue<string>(), StringComparison.Ordinal) ? null : shown,
                    _ => T($"{shown}, neither an array nor a string", $"{shown}，既不是数组也不是字符串"),
                };
            case JsonTest.Type:
                var kind = JsonValues.KindName(value);
                var want = Expected!.GetValue<string>();
                var isType = kind == want || (want == "integer" && JsonValues.TryNumber(value, out var n) && n == decimal.Truncate(n));
                return isType ? null : T($"{Path} is a{(kind is "array" or "object" ? "n" : "")} {kind} ({JsonValues.Show(value, 80)})", $"{Path} 的类型是 {kind}（{JsonValues.Show(value, 80)}）");
            case JsonTest.Length:
                JsonValues.TryNumber(Expected, out var length);
                var count = value switch
                {
                    JsonArray array => array.Count,
                    JsonObject obj => obj.Count,
                    JsonValue sv when sv.GetValueKind() == JsonValueKind.String => sv.GetValue<string>().Length,
                    _ => -1,
                };
                return count < 0 ? T($"{shown}, which has no length", $"{shown}，没有长度")
                    : count == length ? null
                    : T($"{Path} has length {count.ToString(CultureInfo.InvariantCulture)}", $"{Path} 的长度是 {count.ToString(CultureInfo.InvariantCulture)}");
            default:
                return T($"unknown test {Test}", $"未知的测试 {Test}");
        }
    }

    private Text Missing() => T($"{Path} is missing", $"缺少 {Path}");

    /// <summary>The condition as a reader would write it: <c>$.count &gt;= 3</c>.</summary>
    public Text Describe() => Test switch
    {
        JsonTest.Equals => Verbatim($"{Path} == {JsonValues.Show(Expected, 80)}"),
        JsonTest.NotEquals => Verbatim($"{Path} != {JsonValues.Show(Expected, 80)}"),
        JsonTest.Greater => Verbatim($"{Path} > {JsonValues.Show(Expected)}"),
        JsonTest.GreaterOrEqual => Verbatim($"{Path} >= {JsonValues.Show(Expected)}"),
        JsonTest.Less => Verbatim($"{Path} < {JsonValues.Show(Expected)}"),
        JsonTest.LessOrEqual => Verbatim($"{Path} <= {JsonValues.Show(Expected)}"),
        JsonTest.Exists => Expected is JsonValue v && v.GetValueKind() == JsonValueKind.False ? T($"{Path} absent", $"{Path} 不存在") : T($"{Path} exists", $"{Path} 存在"),
        JsonTest.Regex => T($"{Path} matches /{Pattern}/", $"{Path} 匹配 /{Pattern}/"),
        JsonTest.Contains => T($"{Path} contains {JsonValues.Show(Expected, 80)}", $"{Path} 包含 {JsonValues.Show(Expected, 80)}"),
        JsonTest.Type => T($"{Path} is {Expected!.GetValue<string>()}", $"{Path} 的类型是 {Expected!.GetValue<string>()}"),
        JsonTest.Length => T($"{Path} has length {JsonValues.Show(Expected)}", $"{Path} 的长度是 {JsonValues.Show(Expected)}"),
        _ => Verbatim(Path.Text),
    };

    internal static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    internal static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
