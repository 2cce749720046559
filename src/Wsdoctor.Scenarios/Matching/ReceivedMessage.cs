using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wsdoctor.Scenarios.Json;

using static Wsdoctor.Findings.Text;
using LocalText = Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Matching;

/// <summary>A data message the server sent, with its text and JSON readings made once, on demand.</summary>
public sealed class ReceivedMessage(bool isText, byte[] data, TimeSpan at)
{
    private string? _text;
    private (bool Parsed, JsonNode? Node, string? Error)? _json;

    public bool IsText => isText;

    public byte[] Data => data;

    /// <summary>When it arrived, from the start of the scenario.</summary>
    public TimeSpan At => at;

    /// <summary>The payload as UTF-8 (a binary message too, with replacement characters where it is not text).</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(data);

    /// <summary>The payload parsed as JSON; <c>Error</c> says why it is not JSON.</summary>
    public (bool Parsed, JsonNode? Node, string? Error) Json
    {
        get
        {
            if (_json is { } known)
            {
                return known;
            }

            try
            {
                _json = (true, Wsdoctor.Protocol.Text.StrictJson.Parse(data, maxDepth: 256), null);
            }
            catch (JsonException ex)
            {
                _json = (false, null, ex.Message);
            }

            return _json.Value;
        }
    }

    /// <summary>How the message is shown in a report: text (cut at <paramref name="max"/>) or a hex preview.</summary>
    public LocalText Show(int max = 300)
    {
        if (!isText)
        {
            var preview = Convert.ToHexString(data, 0, Math.Min(data.Length, 32)).ToLowerInvariant();
            var more = data.Length > 32 ? "…" : "";
            return T($"binary {data.Length} B: {preview}{more}", $"二进制 {data.Length} B：{preview}{more}");
        }

        if (Json is { Parsed: true, Node: { } node } && node is JsonObject or JsonArray)
        {
            return Verbatim(JsonValues.Show(node, max));
        }

        var text = Text.ReplaceLineEndings("\\n");
        return text.Length <= max ? Verbatim($"\"{text}\"") : T($"\"{text[..max]}…\" ({text.Length} characters)", $"\"{text[..max]}…\"（共 {text.Length} 个字符）");
    }
}
