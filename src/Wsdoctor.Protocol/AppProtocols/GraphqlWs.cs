using System.Text.Json;
using System.Text.Json.Nodes;

using Wsdoctor.Protocol.Text;

namespace Wsdoctor.Protocol.AppProtocols;

/// <summary>GraphQL over WebSocket. Two incompatible protocols share the name "graphql-ws": the current one (library
/// graphql-ws, subprotocol <c>graphql-transport-ws</c>: connection_init/connection_ack, subscribe/next/error/complete,
/// ping/pong, close codes 44xx) and the legacy one of subscriptions-transport-ws (subprotocol <c>graphql-ws</c>:
/// connection_init/connection_ack, start/data/stop, keep-alive "ka", close 1002 for a wrong subprotocol).</summary>
public static class GraphqlWs
{
    public const string TransportWs = "graphql-transport-ws";
    public const string LegacyWs = "graphql-ws";

    public static readonly string ConnectionInit = "{\"type\":\"connection_init\",\"payload\":{}}";

    /// <summary>The close codes graphql-transport-ws defines (its PROTOCOL.md), with what each means.</summary>
    public static readonly IReadOnlyDictionary<int, string> CloseCodes = new Dictionary<int, string>
    {
        [4400] = "Bad Request: a message the server could not parse or did not expect",
        [4401] = "Unauthorized: a subscribe before connection_ack",
        [4403] = "Forbidden: connection_init refused (credentials in connectionParams)",
        [4406] = "Subprotocol not acceptable: the client did not select graphql-transport-ws",
        [4408] = "Connection initialisation timeout: no connection_init in time",
        [4409] = "Subscriber already exists: an operation id reused while still running",
        [4429] = "Too many initialisation requests: connection_init sent twice",
        [4499] = "Terminated: the client's connection was terminated",
        [4500] = "Internal server error",
    };

    public static string? TypeOf(string text)
    {
        return StrictJson.ParseObject(text) is { } o && o["type"] is JsonValue t && t.TryGetValue<string>(out var type) ? type : null;
    }

    public static string Subscribe(string id, string query, JsonObject? variables) =>
        new JsonObject
        {
            ["id"] = id,
            ["type"] = "subscribe",
            ["payload"] = new JsonObject { ["query"] = query, ["variables"] = variables?.DeepClone() },
        }.ToJsonString();

    public static readonly string Pong = "{\"type\":\"pong\"}";
}
