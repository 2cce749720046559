using System.Buffers.Binary;
using System.Text;

namespace Wsdoctor.Protocol.AppProtocols;

public enum MqttPacketType
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    Subscribe = 8,
    SubAck = 9,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
}

/// <summary>One MQTT control packet: the fixed header's type and flags, and what follows the remaining length.</summary>
public sealed record MqttPacket(MqttPacketType Type, byte Flags, byte[] Body)
{
    /// <summary>CONNACK's return code (MQTT 3.1.1 section 3.2.2.3); null for other packets.</summary>
    public int? ConnAckCode => Type == MqttPacketType.ConnAck && Body.Length >= 2 ? Body[1] : null;

    /// <summary>A PUBLISH's topic and payload (QoS 1 and 2 carry a packet id after the topic).</summary>
    public (string Topic, byte[] Payload)? AsPublish()
    {
        if (Type != MqttPacketType.Publish || Body.Length < 2)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(Body);
        var start = 2 + length + (((Flags >> 1) & 3) > 0 ? 2 : 0);
        return start > Body.Length ? null : (Encoding.UTF8.GetString(Body, 2, length), Body[start..]);
    }
}

/// <summary>MQTT 3.1.1 (protocol level 4) packets as they travel in binary WebSocket messages (subprotocol "mqtt"). A
/// message may hold several packets, or part of one: <see cref="MqttPacketReader"/> joins them.</summary>
public static class MqttPackets
{
    public static readonly IReadOnlyDictionary<int, string> ConnAckCodes = new Dictionary<int, string>
    {
        [0] = "connection accepted",
        [1] = "unacceptable protocol version",
        [2] = "client identifier rejected",
        [3] = "server unavailable",
        [4] = "bad user name or password",
        [5] = "not authorized",
    };

    /// <summary>CONNECT with a clean session; <paramref name="keepAliveSeconds"/> 0 turns the broker's keep-alive off.</summary>
    public static byte[] Connect(string clientId, ushort keepAliveSeconds, string? userName = null, string? password = null)
    {
        var body = new List<byte>();
        AddString(body, "MQTT");
        body.Add(4);
        byte flags = 0x02;
        if (userName is not null)
        {
            flags |= 0x80;
        }

        if (password is not null)
        {
            flags |= 0x40;
        }

        body.Add(flags);
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        AddString(body, clientId);
        if (userName is not null)
        {
            AddString(body, userName);
        }

        if (password is not null)
        {
            AddString(body, password);
        }

        return Packet(0x10, body);
    }

    /// <summary>SUBSCRIBE at QoS 0 (the fixed header's flags are 0b0010, as section 3.8.1 requires).</summary>
    public static byte[] Subscribe(ushort packetId, IEnumerable<string> topics)
    {
        var body = new List<byte> { (byte)(packetId >> 8), (byte)packetId };
        foreach (var topic in topics)
        {
            AddString(body, topic);
            body.Add(0);
        }

        return Packet(0x82, body);
    }

    /// <summary>PUBLISH at QoS 0: no packet id.</summary>
    public static byte[] Publish(string topic, ReadOnlySpan<byte> payload)
    {
        var body = new List<byte>();
        AddString(body, topic);
        body.AddRange(payload.ToArray());
        return Packet(0x30, body);
    }

    public static byte[] PingReq() => [0xC0, 0x00];

    public static byte[] Disconnect() => [0xE0, 0x00];

    private static void AddString(List<byte> body, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        body.Add((byte)(bytes.Length >> 8));
        body.Add((byte)bytes.Length);
        body.AddRange(bytes);
    }

    private static byte[] Packet(byte first, List<byte> body)
    {
        var packet = new List<byte> { first };
        // Remaining length: 7 bits per byte, least significant first, high bit set while more follow (section 2.2.3).
        var length = body.Count;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);

        packet.AddRange(body);
        return [.. packet];
    }
}

/// <summary>Push-style MQTT packet reader: feed bytes in any pieces, take whole packets out. A remaining length over
/// four bytes or over <see cref="MaxPacket"/> faults the reader (a peer that is not speaking MQTT).</summary>
public sealed class MqttPacketReader
{
    public const int MaxPacket = 1 << 20;
    private readonly List<byte> pending = [];

    public bool IsFaulted { get; private set; }

    public void Consume(ReadOnlySpan<byte> data, List<MqttPacket> output)
    {
        if (IsFaulted)
        {
            return;
        }

        pending.AddRange(data.ToArray());
        while (pending.Count >= 2)
        {
            var length = 0;
            var multiplier = 1;
            var i = 1;
            bool complete = false;
            for (; i < pending.Count && i <= 4; i++)
            {
                length += (pending[i] & 0x7F) * multiplier;
                multiplier *= 128;
                if ((pending[i] & 0x80) == 0)
                {
                    complete = true;
                    break;
                }
            }

            if (!complete)
            {
                IsFaulted = i > 4;
                return;
            }

            var type = pending[0] >> 4;
            if (length > MaxPacket || type is 0 or 15)
            {
                IsFaulted = true;
                return;
            }

            var headerLength = i + 1;
            if (pending.Count < headerLength + length)
            {
                return;
            }

            output.Add(new MqttPacket((MqttPacketType)type, (byte)(pending[0] & 0x0F), pending.GetRange(headerLength, length).ToArray()));
            pending.RemoveRange(0, headerLength + length);
        }
    }
}
