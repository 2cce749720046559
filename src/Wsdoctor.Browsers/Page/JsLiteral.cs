using System.Text.Json.Nodes;

namespace Wsdoctor.Browsers.Page;

/// <summary>JSON literals for script text and preference files, written through JSON nodes (no reflection).</summary>
public static class JsLiteral
{
    /// <summary>A string as a JSON (and so JavaScript) string literal, quotes included.</summary>
    public static string String(string value) => JsonValue.Create(value).ToJsonString();

    public static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
