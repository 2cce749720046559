using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Wsdoctor.Protocol.Text;

namespace Wsdoctor.Protocol.AppProtocols;

public enum SignalRMessageType
{
    Invocation = 1,
    StreamItem = 2,
    Completion = 3,
    StreamInvocation = 4,
    CancelInvocation = 5,
    Ping = 6,
    Close = 7,
    Ack = 8,
    Sequence = 9,
}

/// <summary>ASP.NET Core SignalR's JSON hub protocol: every message, the handshake included, is a JSON object
/// terminated by the record separator 0x1E. The client opens with <c>{"protocol":"json","version":1}</c>; the server
/// answers <c>{}</c> or <c>{"error":"…"}</c>. Messages carry a numeric "type" (1 invocation, 3 completion, 6 ping, 7 close).</summary>
public static class SignalRHub
{
    public const char RecordSeparator = '\u001e';

    public static readonly string Handshake = "{\"protocol\":\"json\",\"version\":1}" + RecordSeparator;

    public static readonly string PingMessage = "{\"type\":6}" + RecordSeparator;

    /// <summary>The records of one WebSocket message; empty when the text holds no record separator.</summary>
    public static IReadOnlyList<string> Records(string text) =>
        text.Contains(RecordSeparator, StringComparison.Ordinal)
            ? text.Split(RecordSeparator).Where(r => r.Length > 0).ToArray()
            : [];

    /// <summary>True for a message that is one or more JSON objects each ended by 0x1E: what a hub sends.</summary>
    public static bool LooksLikeHubMessage(string text)
    {
        var records = Records(text);
        if (records.Count == 0 || text[^1] != RecordSeparator)
        {
            return false;
        }

        return records.All(r => StrictJson.ParseObject(r) is not null);
    }

    /// <summary>The handshake answer: (true, null) for <c>{}</c>, (false, error) for <c>{"error":…}</c>, null otherwise.</summary>
    public static (bool Ok, string? Error)? ParseHandshakeResponse(string record)
    {
        if (StrictJson.ParseObject(record) is not { } o || o.ContainsKey("type"))
        {
            return null;
        }

        return o["error"] is JsonValue e && e.TryGetValue<string>(out var error) ? (false, error) : (true, null);
    }

    public static string Invocation(string target, IEnumerable<JsonNode?> args, string? invocationId)
    {
        var message = new JsonObject { ["type"] = (int)SignalRMessageType.Invocation };
        if (invocationId is not null)
        {
            message["invocationId"] = invocationId;
        }

        message["target"] = target;
        message["arguments"] = new JsonArray([.. args]);
        return message.ToJsonString() + RecordSeparator;
    }

    /// <summary>One record shown the way a person reads it: <c>Target("a", 1)</c>, <c>completion 1: 5</c>, ...; null for pings.</summary>
    public static string? Describe(string record)
    {
        if (StrictJson.ParseObject(record) is not { } message)
        {
            return record;
        }

        var type = message["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? (SignalRMessageType)n : (SignalRMessageType)0;
        string? id = message["invocationId"]?.ToString();
        return type switch
        {
            SignalRMessageType.Invocation or SignalRMessageType.StreamInvocation =>
                $"{message["target"]}({string.Join(", ", (message["arguments"] as JsonArray ?? []).Select(a => a?.ToJsonString() ?? "null"))})",
            SignalRMessageType.StreamItem => $"stream item {id}: {message["item"]?.ToJsonString() ?? "null"}",
            SignalRMessageType.Completion => message["error"] is { } error
                ? $"completion {id}: error {error.ToJsonString()}"
                : $"completion {id}{(message.ContainsKey("result") ? $": {message["result"]?.ToJsonString() ?? "null"}" : "")}",
            SignalRMessageType.Ping => null,
            SignalRMessageType.Close => $"close{(message["error"] is { } e ? $": {e}" : "")}",
            _ => record,
        };
    }

    public static SignalRMessageType? TypeOf(string record)
    {
        return StrictJson.ParseObject(record) is { } o && o["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? (SignalRMessageType)n : null;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
