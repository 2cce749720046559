using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>MQTT 3.1.1 over WebSocket (subprotocol mqtt, packets in binary messages): CONNECT with a clean session,
/// SUBSCRIBE to each --topic at QoS 0 once CONNACK accepts, PINGREQ within the keep-alive, lines typed as
/// <c>topic, payload</c> published at QoS 0, received PUBLISH shown as <c>topic: payload</c>.</summary>
public sealed class MqttDriver(AppProtocolOptions options) : AppProtocolDriver
{
    private const ushort KeepAliveSeconds = 60;
    private readonly MqttPacketReader reader = new();
    private ushort nextPacketId;

    public override string Name => "MQTT";

    public override Text InputHint => Text.T("type a message to publish as: topic, payload", "按“主题, 负载”的格式输入要发布的消息");

    public override IReadOnlyList<string> Subprotocols => ["mqtt"];

    public override TimeSpan? KeepAliveInterval => TimeSpan.FromSeconds(KeepAliveSeconds / 2);

    public override IEnumerable<AppOutgoing> KeepAlive() => [new(WebSocketMessageType.Binary, MqttPackets.PingReq())];

    public override void Start(string? selectedSubprotocol)
    {
        var clientId = "wsdoctor-" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        Send(new AppOutgoing(WebSocketMessageType.Binary, MqttPackets.Connect(clientId, KeepAliveSeconds)));
    }

    public override AppView Read(TapDirection direction, WebSocketMessageType type, byte[] data)
    {
        var packets = new List<MqttPacket>();
        if (direction == TapDirection.In)
        {
            lock (Gate)
            {
                reader.Consume(data, packets);
            }
        }
        else
        {
            // Ours: always whole packets, one per message.
            new MqttPacketReader().Consume(data, packets);
        }

        if (packets.Count == 0)
        {
            return new AppView(null);
        }

        var shown = packets.Select(p => Describe(direction, p)).ToArray();
        return new AppView(string.Join("; ", shown), packets.All(p => p.Type is MqttPacketType.PingReq or MqttPacketType.PingResp));
    }

    private string Describe(TapDirection direction, MqttPacket packet)
    {
        switch (packet.Type)
        {
            case MqttPacketType.ConnAck when packet.ConnAckCode is { } code:
                var meaning = Probes.App.MqttConnAck.Meaning(code);
                if (code == 0 && options.Topics.Count > 0)
                {
                    // Ready once SUBACK arrives: a message published before the subscription is active is not delivered back.
                    Send(new AppOutgoing(WebSocketMessageType.Binary, MqttPackets.Subscribe(NextId(), options.Topics)));
                }
                else if (code == 0)
                {
                    MarkReady();
                }
                else
                {
                    MarkRefused(Text.T($"the broker refused CONNECT: {code} {meaning}", $"broker 拒绝了 CONNECT：{code} {meaning}"));
                }

                return $"connack {code} ({meaning.En})";
            case MqttPacketType.Connect:
                return "connect (MQTT 3.1.1, clean session)";
            case MqttPacketType.Subscribe:
                return $"subscribe {string.Join(", ", options.Topics)}";
            case MqttPacketType.SubAck:
                MarkReady();
                var granted = packet.Body.Skip(2).Select(b => b == 0x80 ? "refused" : $"qos {b}");
                return $"suback {PacketId(packet)}: {string.Join(", ", granted)}";
            case MqttPacketType.Publish when packet.AsPublish() is { } publish:
                if (direction == TapDirection.In && ((packet.Flags >> 1) & 3) == 1)
                {
                    // QoS 1 must be acknowledged with PUBACK carrying the packet id.
                    var idAt = 2 + Encoding.UTF8.GetByteCount(publish.Topic);
                    Send(new AppOutgoing(WebSocketMessageType.Binary, [0x40, 0x02, packet.Body[idAt], packet.Body[idAt + 1]]));
                }

                return $"publish {publish.Topic}: {Encoding.UTF8.GetString(publish.Payload)}";
            case MqttPacketType.PingReq:
                return "pingreq";
            case MqttPacketType.PingResp:
                return "pingresp";
            case MqttPacketType.Disconnect:
                return "disconnect";
            default:
                return packet.Type.ToString().ToLowerInvariant();
        }
    }

    private static string PacketId(MqttPacket packet) =>
        packet.Body.Length >= 2 ? ((packet.Body[0] << 8) | packet.Body[1]).ToString(CultureInfo.InvariantCulture) : "?";

    private ushort NextId()
    {
        lock (Gate)
        {
            return nextPacketId = (ushort)(nextPacketId % ushort.MaxValue + 1);
        }
    }

    public override IReadOnlyList<AppOutgoing> Encode(string line)
    {
        var (topic, payload) = AppProtocol.SplitTarget(line);
        return [new(WebSocketMessageType.Binary, MqttPackets.Publish(topic, Encoding.UTF8.GetBytes(payload)))];
    }

    public override IEnumerable<AppOutgoing> Goodbye() => [new(WebSocketMessageType.Binary, MqttPackets.Disconnect())];
}
