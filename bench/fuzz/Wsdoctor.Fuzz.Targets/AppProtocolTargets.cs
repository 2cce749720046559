using System.Text;
using System.Text.Json.Nodes;
using Wsdoctor.Protocol.AppProtocols;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>The application-protocol parsers that read what a server sends: Engine.IO and Socket.IO packets, SignalR's
/// record-separated JSON, MQTT packets in binary messages, STOMP frames, GraphQL over WebSocket messages. Each returns
/// null (or a faulted reader) for what it does not understand; nothing may throw.</summary>
public static class AppProtocolTargets
{
    /// <summary>Engine.IO's open packet (WebSocket and long-polling forms), its error bodies, and Socket.IO packets
    /// with their encoder: a packet whose data is an array or object (as every Socket.IO packet's is) encodes to
    /// text that parses back to the same packet.</summary>
    public static void EngineIo(byte[] input)
    {
        var text = TextTargets.Text(input);
        if (Protocol.AppProtocols.EngineIo.ParseOpen(text) is { } open)
        {
            Invariants.Require(text[0] == Protocol.AppProtocols.EngineIo.Open && open.Sid is not null, "engineio", "an open packet that does not start with 0, or without a sid");
            Invariants.Require(open.Upgrades.All(u => u is not null), "engineio", "an open packet with a null upgrade");
        }

        if (Protocol.AppProtocols.EngineIo.ParsePollingOpen(text) is { } polling)
        {
            Invariants.Require(polling.Protocol is 3 or 4, "engineio", $"protocol {polling.Protocol}");
        }

        if (Protocol.AppProtocols.EngineIo.ParseError(text) is { } error)
        {
            Invariants.Require(Protocol.AppProtocols.EngineIo.ErrorMessages.TryGetValue(error.Code, out var message) && message == error.Message,
                "engineio", $"error {error.Code} '{error.Message}' is not Engine.IO's");
        }

        // Socket.IO rides in Engine.IO message packets: "4" then the Socket.IO packet.
        var packetText = text.Length > 0 && text[0] == Protocol.AppProtocols.EngineIo.Message ? text[1..] : text;
        if (SocketIoPacket.Parse(packetText) is not { } packet)
        {
            return;
        }

        Invariants.Require(packet.Namespace.Length > 0 && packet.Namespace[0] == '/', "engineio", $"namespace '{packet.Namespace}'");
        Invariants.Require(packet.AckId is null or >= 0, "engineio", $"ack id {packet.AckId}");
        _ = packet.AsEvent();
        if (packet.Type is SocketIoType.BinaryEvent or SocketIoType.BinaryAck || packet.Data is not (null or JsonArray or JsonObject))
        {
            return;
        }

        var encoded = packet.Encode();
        var again = SocketIoPacket.Parse(encoded);
        Invariants.Require(again is not null, "engineio", $"'{encoded}' (encoded from '{packetText}') does not parse");
        Invariants.Require(again!.Type == packet.Type && again.Namespace == packet.Namespace && again.AckId == packet.AckId
            && again.Data?.ToJsonString() == packet.Data?.ToJsonString(), "engineio", $"'{packetText}' encoded to '{encoded}', which parses differently");
    }

    /// <summary>SignalR's JSON hub protocol: the records of a message, the handshake answer, the message type and the
    /// line shown for each record.</summary>
    public static void SignalR(byte[] input)
    {
        var text = TextTargets.Text(input);
        var records = SignalRHub.Records(text);
        Invariants.Require(records.All(r => r.Length > 0 && !r.Contains(SignalRHub.RecordSeparator, StringComparison.Ordinal)), "signalr", "an empty record or one with a separator");
        var looks = SignalRHub.LooksLikeHubMessage(text);
        Invariants.Require(!looks || records.Count > 0, "signalr", "a hub message without records");
        foreach (var record in records.Count > 0 ? records : [text])
        {
            _ = SignalRHub.ParseHandshakeResponse(record);
            _ = SignalRHub.TypeOf(record);
            var shown = SignalRHub.Describe(record);
            Invariants.Require(shown is not null || SignalRHub.TypeOf(record) == SignalRMessageType.Ping, "signalr", "a record shown as nothing that is not a ping");
        }
    }

    /// <summary>MQTT packets as binary WebSocket messages deliver them, in any pieces: every chunking yields the same
    /// packets, and no packet is larger than the reader's bound.</summary>
    public static void Mqtt(byte[] input)
    {
        var results = new string[Chunking.Plans];
        for (var plan = 0; plan < Chunking.Plans; plan++)
        {
            var reader = new MqttPacketReader();
            var packets = new List<MqttPacket>();
            var offset = 0;
            foreach (var size in Chunking.Sizes(plan, input.Length, input.Length))
            {
                reader.Consume(input.AsSpan(offset, size), packets);
                offset += size;
            }

            var described = new StringBuilder().Append(reader.IsFaulted);
            foreach (var packet in packets)
            {
                Invariants.Require(packet.Body.Length <= MqttPacketReader.MaxPacket, "mqtt", $"a {packet.Body.Length}-byte packet over the bound");
                var publish = packet.AsPublish();
                described.Append('\n').Append(packet.Type).Append(' ').Append(packet.Flags).Append(' ').Append(packet.Body.Length)
                    .Append(' ').Append(packet.ConnAckCode).Append(' ').Append(publish?.Topic).Append(' ').Append(publish?.Payload.Length);
            }

            results[plan] = described.ToString();
        }

        HttpHeadTargets.RequireSameForEveryChunking(results, "mqtt");
    }

    /// <summary>STOMP frames (any command, then as a server frame), and the encoder: a parsed frame encodes to a frame
    /// that parses back to the same command, headers and body.</summary>
    public static void Stomp(byte[] input)
    {
        var text = TextTargets.Text(input);
        var server = StompFrame.ParseServerFrame(text);
        if (StompFrame.Parse(text) is not { } frame)
        {
            Invariants.Require(server is null, "stomp", "a server frame that is not a frame");
            return;
        }

        _ = frame.Header("content-type");
        if (frame.Body.Contains('\0', StringComparison.Ordinal) || frame.Body.Contains('\r', StringComparison.Ordinal)
            || frame.Headers.Any(h => h.Value.Contains('\r', StringComparison.Ordinal) || h.Key.Contains('\r', StringComparison.Ordinal)))
        {
            // A body cannot hold the frame's terminator, and "\r\n" is read as "\n": such input has no identical encoding.
            return;
        }

        var encoded = frame.Encode();
        var again = StompFrame.Parse(encoded);
        Invariants.Require(again is not null && again.Command == frame.Command && again.Body == frame.Body
            && again.Headers.SequenceEqual(frame.Headers), "stomp", "a frame encoded to text that parses differently");
    }

    /// <summary>graphql-ws and subscriptions-transport-ws messages: the type of any JSON text.</summary>
    public static void Graphql(byte[] input)
    {
        var text = TextTargets.Text(input);
        if (GraphqlWs.TypeOf(text) is { } type)
        {
            // A type was read, so the text is a JSON object: the subscription built around it must be valid JSON too.
            Invariants.Require(JsonNode.Parse(GraphqlWs.Subscribe("1", type, null)) is JsonObject, "graphql", "a subscribe message that is not a JSON object");
        }
    }
}
