using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Wsdoctor.Protocol.Text;

namespace Wsdoctor.Protocol.AppProtocols;

public enum SocketIoType
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}

/// <summary>A Socket.IO (protocol 5) packet, carried in an Engine.IO message packet ("4…"): the type digit, for binary
/// packets the attachment count and '-', the namespace and ',' unless it is "/", the acknowledgement id, then JSON.
/// <c>42["chat","hi"]</c> is the event chat with one argument; <c>431[5]</c> acknowledges id 1 with 5.</summary>
public sealed record SocketIoPacket(SocketIoType Type, string Namespace, long? AckId, JsonNode? Data)
{
    public static SocketIoPacket? Parse(string text)
    {
        if (text.Length == 0 || text[0] is < '0' or > '6')
        {
            return null;
        }

        var type = (SocketIoType)(text[0] - '0');
        var i = 1;
        if (type is SocketIoType.BinaryEvent or SocketIoType.BinaryAck)
        {
            var dash = text.IndexOf('-', i);
            if (dash < 0)
            {
                return null;
            }

            i = dash + 1;
        }

        var ns = "/";
        if (i < text.Length && text[i] == '/')
        {
            var comma = text.IndexOf(',', i);
            ns = comma < 0 ? text[i..] : text[i..comma];
            i = comma < 0 ? text.Length : comma + 1;
        }

        var digits = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        long? ack = null;
        if (i > digits)
        {
            // An id past long's range is not one Socket.IO could have sent.
            if (!long.TryParse(text.AsSpan(digits, i - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }

            ack = id;
        }

        JsonNode? data = null;
        if (i < text.Length)
        {
            try
            {
                data = StrictJson.Parse(text[i..]);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return new SocketIoPacket(type, ns, ack, data);
    }

    /// <summary>The text after the Engine.IO "4".</summary>
    public string Encode()
    {
        var sb = new StringBuilder();
        sb.Append((int)Type);
        if (Namespace != "/")
        {
            sb.Append(Namespace).Append(',');
        }

        if (AckId is { } ack)
        {
            sb.Append(ack.ToString(CultureInfo.InvariantCulture));
        }

        if (Data is not null)
        {
            sb.Append(Data.ToJsonString());
        }

        return sb.ToString();
    }

    public static SocketIoPacket Event(string name, IEnumerable<JsonNode?> args, long? ackId = null, string ns = "/") =>
        new(SocketIoType.Event, ns, ackId, new JsonArray([JsonValue.Create(name), .. args]));

    /// <summary>An event's name and arguments; null when the data is not an array starting with a string.</summary>
    public (string Name, IReadOnlyList<JsonNode?> Args)? AsEvent() =>
        Data is JsonArray { Count: > 0 } array && array[0] is JsonValue v && v.TryGetValue<string>(out var name)
            ? (name, array.Skip(1).ToArray())
            : null;
}
