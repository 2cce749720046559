using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wsdoctor.Protocol.Text;

/// <summary>JSON from a peer, parsed so that every later read is safe. System.Text.Json accepts an object with the same
/// name twice (RFC 8259 only says names SHOULD be unique) and throws ArgumentException the first time such a JsonObject
/// is indexed; refusing duplicates here turns that into the JsonException every caller already handles.</summary>
public static class StrictJson
{
    public static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <exception cref="JsonException">Not JSON, or an object names a property twice.</exception>
    public static JsonNode? Parse(string json, int maxDepth = 0) => JsonNode.Parse(json, documentOptions: With(maxDepth));

    /// <exception cref="JsonException">Not UTF-8 JSON, or an object names a property twice.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8Json, int maxDepth = 0) => JsonNode.Parse(utf8Json, documentOptions: With(maxDepth));

    /// <summary>The JSON object the text holds, or null when it holds anything else or is not JSON. Text that cannot be
    /// an object (it does not start with '{' and end with '}') is refused before the parser, so the junk a peer or a
    /// fuzzer sends costs no exception.</summary>
    public static JsonObject? ParseObject(string json)
    {
        var trimmed = json.AsSpan().Trim(" \t\r\n");
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            return null;
        }

        try
        {
            return Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonDocumentOptions With(int maxDepth) =>
        maxDepth > 0 ? new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = maxDepth } : Options;
}
