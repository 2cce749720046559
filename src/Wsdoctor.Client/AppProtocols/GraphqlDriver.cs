using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>GraphQL over WebSocket, either protocol: graphql-transport-ws (the graphql-ws library: subscribe, next,
/// complete, ping/pong) or the legacy graphql-ws of subscriptions-transport-ws (start, data, stop, "ka"). Which one is
/// spoken follows the subprotocol the server selected. connection_init first; each --query, and each line typed (a
/// query, or a JSON object with query and variables), becomes an operation with the next id.</summary>
public sealed class GraphqlDriver(AppProtocolOptions options) : AppProtocolDriver
{
    private bool legacy = options.Kind == AppProtocolKind.GraphqlLegacy;
    private long nextId;

    public override string Name => "GraphQL";

    public override Text InputHint => Text.T("type a GraphQL operation (or {\"query\":…,\"variables\":…}); each runs with the next id", "输入一个 GraphQL 操作（或 {\"query\":…,\"variables\":…}）；每个操作使用下一个 id");

    public override IReadOnlyList<string> Subprotocols => options.Kind switch
    {
        AppProtocolKind.GraphqlTransportWs => [GraphqlWs.TransportWs],
        AppProtocolKind.GraphqlLegacy => [GraphqlWs.LegacyWs],
        // The legacy name first: subscriptions-transport-ws (through ws) selects the first subprotocol offered and then
        // closes with 1002 unless it is graphql-ws, while graphql-ws selects graphql-transport-ws wherever it is listed.
        _ => [GraphqlWs.LegacyWs, GraphqlWs.TransportWs],
    };

    public override void Start(string? selectedSubprotocol)
    {
        lock (Gate)
        {
            legacy = selectedSubprotocol is null ? legacy : selectedSubprotocol == GraphqlWs.LegacyWs;
        }

        SendText(GraphqlWs.ConnectionInit);
    }

    public override AppView Read(TapDirection direction, WebSocketMessageType type, byte[] data)
    {
        if (AppProtocol.ParseJson(Utf8(data)) is not JsonObject message || message["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var kind))
        {
            return new AppView(null);
        }

        var id = message["id"]?.ToString();
        var payload = message["payload"];
        switch (kind)
        {
            case "connection_ack" when direction == TapDirection.In:
                MarkReady();
                foreach (var query in options.Queries)
                {
                    SendText(Operation(query, options.Variables));
                }

                return new AppView("connection_ack");
            case "connection_error":
                MarkRefused(Text.T($"the server refused connection_init: {payload?.ToJsonString()}", $"服务端拒绝了 connection_init：{payload?.ToJsonString()}"));
                return new AppView($"connection_error: {payload?.ToJsonString()}");
            case "ping":
                if (direction == TapDirection.In)
                {
                    SendText(GraphqlWs.Pong);
                }

                return new AppView("ping", Housekeeping: true);
            case "pong" or "ka":
                return new AppView(kind, Housekeeping: true);
            case "subscribe" or "start":
                return new AppView($"{kind} {id}: {payload?["query"]}{(payload?["variables"] is JsonObject v ? " " + v.ToJsonString() : "")}");
            case "next" or "data" or "error":
                return new AppView($"{kind} {id}: {payload?.ToJsonString()}");
            case "complete" or "stop":
                return new AppView($"{kind} {id}");
            default:
                return new AppView(kind == "connection_init" ? "connection_init" : null);
        }
    }

    public override IReadOnlyList<AppOutgoing> Encode(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('{') && AppProtocol.ParseJson(trimmed) is JsonObject o && o["query"]?.ToString() is { } query)
        {
            return [AppOutgoing.Text(Operation(query, o["variables"] as JsonObject))];
        }

        if (trimmed.Length == 0)
        {
            throw new InputFormatException(Text.T("expected a GraphQL operation", "这里需要一个 GraphQL 操作"));
        }

        return [AppOutgoing.Text(Operation(trimmed, options.Variables))];
    }

    private string Operation(string query, JsonObject? variables)
    {
        string id;
        bool old;
        lock (Gate)
        {
            id = (++nextId).ToString(CultureInfo.InvariantCulture);
            old = legacy;
        }

        if (!old)
        {
            return GraphqlWs.Subscribe(id, query, variables);
        }

        return new JsonObject
        {
            ["id"] = id,
            ["type"] = "start",
            ["payload"] = new JsonObject { ["query"] = query, ["variables"] = variables?.DeepClone() },
        }.ToJsonString();
    }

    public override IEnumerable<AppOutgoing> Goodbye()
    {
        bool old;
        lock (Gate)
        {
            old = legacy;
        }

        return old ? [AppOutgoing.Text("{\"type\":\"connection_terminate\"}")] : [];
    }
}
