using System.Text.Json.Nodes;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>The application protocols connect --protocol speaks on top of the WebSocket.</summary>
public enum AppProtocolKind
{
    SocketIo,
    SignalR,

    /// <summary>The graphql-ws library's protocol, subprotocol graphql-transport-ws.</summary>
    GraphqlTransportWs,

    /// <summary>subscriptions-transport-ws, subprotocol graphql-ws (legacy).</summary>
    GraphqlLegacy,

    /// <summary>Both GraphQL subprotocols offered; the one the server selects is spoken.</summary>
    Graphql,
    Mqtt,
    Stomp,
}

/// <summary>What the protocol needs beyond the URL: GraphQL operations to subscribe to, MQTT topics or STOMP
/// destinations to subscribe to.</summary>
public sealed record AppProtocolOptions
{
    public required AppProtocolKind Kind { get; init; }

    /// <summary>--query: GraphQL operations subscribed to once the server acknowledged the connection.</summary>
    public IReadOnlyList<string> Queries { get; init; } = [];

    /// <summary>--variables: a JSON object sent with every --query.</summary>
    public JsonObject? Variables { get; init; }

    /// <summary>--topic: MQTT topic filters or STOMP destinations subscribed to once connected.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>The URL's host: the virtual host STOMP's CONNECT names.</summary>
    public string Host { get; init; } = "localhost";
}

public static class AppProtocol
{
    /// <summary>The names --protocol takes; "none" turns auto-detection off.</summary>
    public static readonly IReadOnlyList<string> Names = ["socketio", "signalr", "graphql", "graphql-ws", "graphql-transport-ws", "subscriptions-transport-ws", "mqtt", "stomp", "none"];

    /// <summary>The kind named by --protocol (null for "none"); false, with the error in every output language, for a
    /// name it does not know.</summary>
    public static bool TryParse(string name, out AppProtocolKind? kind, out Text error)
    {
        ArgumentNullException.ThrowIfNull(name);
        error = Text.Empty;
        var lower = name.ToLowerInvariant();
        kind = lower switch
        {
            "socketio" or "socket.io" => AppProtocolKind.SocketIo,
            "signalr" => AppProtocolKind.SignalR,
            "graphql" => AppProtocolKind.Graphql,
            "graphql-ws" or "graphql-transport-ws" => AppProtocolKind.GraphqlTransportWs,
            "subscriptions-transport-ws" or "graphql-legacy" => AppProtocolKind.GraphqlLegacy,
            "mqtt" => AppProtocolKind.Mqtt,
            "stomp" => AppProtocolKind.Stomp,
            _ => null,
        };
        if (kind is not null || lower == "none")
        {
            return true;
        }

        error = Text.T(
            $"--protocol must be one of {string.Join(", ", Names)}, not '{name}'",
            $"--protocol 必须是 {string.Join("、", Names)} 之一（收到的是“{name}”）");
        return false;
    }

    /// <summary>The protocol the URL or the offered subprotocol names without doubt (what check recognises before any
    /// byte): a /socket.io/ path or an EIO= query, or a subprotocol only one protocol uses. Null when nothing does.</summary>
    public static (AppProtocolKind Kind, Text Why)? Detect(Uri url, IReadOnlyList<string> subprotocols)
    {
        if (url.AbsolutePath.Contains("/socket.io", StringComparison.OrdinalIgnoreCase) || url.Query.Contains("EIO=", StringComparison.OrdinalIgnoreCase))
        {
            return (AppProtocolKind.SocketIo, Text.T("the URL is a Socket.IO endpoint", "URL 是 Socket.IO 端点"));
        }

        foreach (var offered in subprotocols)
        {
            var kind = offered.ToLowerInvariant() switch
            {
                "graphql-transport-ws" => AppProtocolKind.GraphqlTransportWs,
                "graphql-ws" => AppProtocolKind.GraphqlLegacy,
                "mqtt" or "mqttv3.1" => AppProtocolKind.Mqtt,
                "v12.stomp" or "v11.stomp" or "v10.stomp" => AppProtocolKind.Stomp,
                _ => (AppProtocolKind?)null,
            };
            if (kind is { } k)
            {
                return (k, Text.T($"the subprotocol {offered} is offered", $"提供了子协议 {offered}"));
            }
        }

        return null;
    }

    /// <summary>The driver for one connection (a new one per reconnect: each keeps the protocol's state).</summary>
    public static AppProtocolDriver Create(AppProtocolOptions options) => options.Kind switch
    {
        AppProtocolKind.SocketIo => new SocketIoDriver(),
        AppProtocolKind.SignalR => new SignalRDriver(),
        AppProtocolKind.GraphqlTransportWs or AppProtocolKind.GraphqlLegacy or AppProtocolKind.Graphql => new GraphqlDriver(options),
        AppProtocolKind.Mqtt => new MqttDriver(options),
        AppProtocolKind.Stomp => new StompDriver(options),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    /// <summary>The URL connect opens for <paramref name="kind"/>: Socket.IO needs its path and EIO=4&amp;transport=websocket;
    /// a SignalR negotiate URL becomes the hub's URL. Other protocols keep the URL as given.</summary>
    public static string Url(AppProtocolKind kind, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return url;
        }

        var builder = new UriBuilder(uri);
        if (kind == AppProtocolKind.SocketIo)
        {
            if (!uri.AbsolutePath.Contains("/socket.io", StringComparison.OrdinalIgnoreCase))
            {
                builder.Path = uri.AbsolutePath.TrimEnd('/') + "/socket.io/";
            }

            var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.StartsWith("EIO=", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("transport=", StringComparison.OrdinalIgnoreCase))
                .Prepend("transport=websocket").Prepend("EIO=4");
            builder.Query = string.Join('&', query);
        }
        else if (kind == AppProtocolKind.SignalR && uri.AbsolutePath.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase))
        {
            builder.Path = uri.AbsolutePath[..^"/negotiate".Length];
            builder.Query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.StartsWith("negotiateVersion=", StringComparison.OrdinalIgnoreCase)));
        }
        else
        {
            return url;
        }

        return builder.Uri.ToString();
    }

    /// <summary>"name, arg, arg": the name before the first comma, the rest as a JSON array's elements (or, when that is
    /// not JSON, one string). A line that is a JSON array is taken whole.</summary>
    public static (string Name, IReadOnlyList<JsonNode?> Args) SplitCall(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('['))
        {
            if (ParseJson(trimmed) is JsonArray { Count: > 0 } array && array[0] is JsonValue v && v.TryGetValue<string>(out var n))
            {
                return (n, array.Skip(1).Select(a => a?.DeepClone()).ToArray());
            }

            throw new InputFormatException(Text.T("a JSON array must start with the name as a string: [\"name\", args...]", "JSON 数组的第一个元素必须是字符串形式的名字：[\"name\", args...]"));
        }

        var comma = trimmed.IndexOf(',', StringComparison.Ordinal);
        var name = (comma < 0 ? trimmed : trimmed[..comma]).Trim();
        if (name.Length == 0)
        {
            throw new InputFormatException(Text.T("expected 'name, arguments' (the arguments as JSON, or one string)", "格式应为“名字, 参数”（参数写成 JSON，或者一个字符串）"));
        }

        if (comma < 0)
        {
            return (name, []);
        }

        var rest = trimmed[(comma + 1)..].Trim();
        return ParseJson("[" + rest + "]") is JsonArray args
            ? (name, args.Select(a => a?.DeepClone()).ToArray())
            : (name, [JsonValue.Create(rest)]);
    }

    /// <summary>"target, text": the part before the first comma and the rest as is.</summary>
    public static (string Target, string Payload) SplitTarget(string line)
    {
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        var target = (comma < 0 ? line : line[..comma]).Trim();
        if (target.Length == 0 || comma < 0)
        {
            throw new InputFormatException(Text.T("expected 'destination, payload'", "格式应为“目的地, 负载”"));
        }

        return (target, line[(comma + 1)..].TrimStart());
    }

    public static JsonNode? ParseJson(string text)
    {
        try
        {
            return Wsdoctor.Protocol.Text.StrictJson.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static string Json(IEnumerable<JsonNode?> nodes) => string.Join(", ", nodes.Select(n => n?.ToJsonString() ?? "null"));
}
