using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Json;

/// <summary>Comparing JSON values the way a person reads them: numbers by value (1 equals 1.0), objects regardless
/// of member order, arrays in order; and the differences between an expected document and an arrived one as
/// one line per path.</summary>
public static class JsonValues
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var other) && DeepEquals(p.Value, other));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Select((item, i) => DeepEquals(item, y[i])).All(same => same);
            case (JsonValue x, JsonValue y):
                var (kx, ky) = (x.GetValueKind(), y.GetValueKind());
                if (kx == JsonValueKind.Number && ky == JsonValueKind.Number)
                {
                    return Number(x) == Number(y);
                }

                return kx == ky && (kx is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null
                    || string.Equals(x.ToString(), y.ToString(), StringComparison.Ordinal));
            default:
                return false;
        }
    }

    /// <summary>Where <paramref name="actual"/> differs from <paramref name="expected"/>. With
    /// <paramref name="subset"/>, members the expectation does not mention are allowed (arrays still match
    /// element by element and in full). Empty when they match.</summary>
    public static IReadOnlyList<Text> Differences(JsonNode? expected, JsonNode? actual, bool subset, string path = "$")
    {
        var lines = new List<Text>();
        Collect(expected, actual, subset, path, lines);
        return lines;
    }

    /// <summary>Compact JSON for evidence lines; long values are cut with their full length stated.</summary>
    public static string Show(JsonNode? node, int max = 200)
    {
        var text = node is null ? "null" : node.ToJsonString(Compact);
        return text.Length <= max ? text : $"{text[..max]}… ({text.Length.ToString(CultureInfo.InvariantCulture)} characters)";
    }

    public static string KindName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "unknown",
    };

    public static bool TryNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                || TryDouble(v, out value);
        }

        return false;
    }

    private static bool TryDouble(JsonValue v, out decimal value)
    {
        value = 0;
        if (double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is > (double)decimal.MinValue and < (double)decimal.MaxValue)
        {
            value = (decimal)d;
            return true;
        }

        return false;
    }

    private static decimal? Number(JsonValue v) => TryNumber(v, out var n) ? n : null;

    private static void Collect(JsonNode? expected, JsonNode? actual, bool subset, string path, List<Text> lines)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (name, value) in e)
                {
                    var child = JsonPath.Child(path, name);
                    if (!a.TryGetPropertyValue(name, out var other))
                    {
                        lines.Add(T($"{child}: missing (expected {Show(value, 80)})", $"{child}：缺失（期望 {Show(value, 80)}）"));
                    }
                    else
                    {
                        Collect(value, other, subset, child, lines);
                    }
                }

                if (!subset)
                {
                    foreach (var (name, value) in a)
                    {
                        if (!e.ContainsKey(name))
                        {
                            lines.Add(T($"{JsonPath.Child(path, name)}: not expected (got {Show(value, 80)})", $"{JsonPath.Child(path, name)}：不应出现（实际为 {Show(value, 80)}）"));
                        }
                    }
                }

                break;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    Collect(e[i], a[i], subset, JsonPath.Child(path, i), lines);
                }

                if (e.Count != a.Count)
                {
                    lines.Add(T($"{path}: {a.Count.ToString(CultureInfo.InvariantCulture)} elements, expected {e.Count.ToString(CultureInfo.InvariantCulture)}", $"{path}：{a.Count.ToString(CultureInfo.InvariantCulture)} 个元素，期望 {e.Count.ToString(CultureInfo.InvariantCulture)} 个"));
                }

                break;
            default:
                if (!DeepEquals(expected, actual))
                {
                    var kinds = KindName(expected) == KindName(actual) ? Empty : T($" ({KindName(actual)}, expected {KindName(expected)})", $"（类型为 {KindName(actual)}，期望 {KindName(expected)}）");
                    lines.Add(T($"{path}: expected {Show(expected, 80)}, got {Show(actual, 80)}{kinds}", $"{path}：期望 {Show(expected, 80)}，实际为 {Show(actual, 80)}{kinds}"));
                }

                break;
        }
    }
}
