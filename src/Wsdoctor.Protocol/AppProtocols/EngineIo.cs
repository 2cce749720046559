using System.Globalization;
using System.Text.Json;

namespace Wsdoctor.Protocol.AppProtocols;

/// <summary>The Engine.IO open handshake, what Socket.IO runs on. Protocol 4 (Socket.IO 3 and 4): each WebSocket text
/// message is one packet, a type digit then the data (0 open, 1 close, 2 ping, 3 pong, 4 message, 5 upgrade, 6 noop);
/// the server speaks first with <c>0{"sid":…,"pingInterval":…}</c> and pings, the client must answer "3".
/// Protocol 3 (Socket.IO 2) has the client ping; over HTTP long-polling it prefixes each packet with its length.</summary>
public static class EngineIo
{
    public const char Open = '0';
    public const char Close = '1';
    public const char Ping = '2';
    public const char Pong = '3';
    public const char Message = '4';

    /// <summary>The error messages an Engine.IO server puts in its 400/403 JSON bodies, by code.</summary>
    public static readonly IReadOnlyDictionary<int, string> ErrorMessages = new Dictionary<int, string>
    {
        [0] = "Transport unknown",
        [1] = "Session ID unknown",
        [2] = "Bad handshake method",
        [3] = "Bad request",
        [4] = "Forbidden",
        [5] = "Unsupported protocol version",
    };

    /// <summary>The open packet's data; null when <paramref name="packet"/> is not an open packet with a session id.</summary>
    public static OpenPacket? ParseOpen(string packet)
    {
        if (packet.Length < 3 || packet[0] != Open || packet[1] != '{')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(packet.AsMemory(1));
            var root = doc.RootElement;
            if (!root.TryGetProperty("sid", out var sid) || sid.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var upgrades = root.TryGetProperty("upgrades", out var u) && u.ValueKind == JsonValueKind.Array
                ? u.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : [];
            return new OpenPacket(sid.GetString()!, Int(root, "pingInterval"), Int(root, "pingTimeout"), Int(root, "maxPayload"), upgrades);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The open packet in a long-polling answer: protocol 4 sends it bare, protocol 3 as <c>LENGTH:0{…}</c>.</summary>
    public static (OpenPacket Packet, int Protocol)? ParsePollingOpen(string body)
    {
        if (ParseOpen(body) is { } v4)
        {
            return (v4, 4);
        }

        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon is > 0 and < 8 && int.TryParse(body.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            && colon + 1 + length <= body.Length && ParseOpen(body.Substring(colon + 1, length)) is { } v3)
        {
            return (v3, 3);
        }

        return null;
    }

    /// <summary>An Engine.IO error body: <c>{"code":0,"message":"Transport unknown"}</c> (an HTTP request), or the bare
    /// message as text/html (an upgrade request, which Engine.IO aborts with the message alone). Null for anything else,
    /// including JSON with a code whose message is not Engine.IO's.</summary>
    public static ErrorBody? ParseError(string body)
    {
        // "Bad request" and "Forbidden" alone say too little to name Engine.IO.
        foreach (var (code, message) in ErrorMessages)
        {
            if (code is not (3 or 4) && body == message)
            {
                return new ErrorBody(code, message);
            }
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && Int(root, "code") is { } code
                && root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                && ErrorMessages.TryGetValue(code, out var known) && known == m.GetString())
            {
                return new ErrorBody(code, known);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static int? Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    public sealed record OpenPacket(string Sid, int? PingIntervalMs, int? PingTimeoutMs, int? MaxPayload, IReadOnlyList<string> Upgrades);

    public sealed record ErrorBody(int Code, string Message);
}
