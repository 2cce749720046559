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

    private static JsonDocumentOptions With(int maxDepth) =>
        maxDepth > 0 ? new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = maxDepth } : Options;
}
