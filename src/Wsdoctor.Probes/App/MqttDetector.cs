using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Probes.App;

/// <summary>MQTT over WebSocket: a connection offering the subprotocol mqtt that sends an MQTT 3.1.1 CONNECT; a CONNACK
/// proves the broker, and its return code says whether it would let a client in.</summary>
internal sealed class MqttDetector : IAppDetector
{
    private static readonly string[] Subprotocols = ["mqtt", "mqttv3.1"];

    public string Name => "MQTT";

    public bool Hinted(AppSignals s) =>
        s.PathHas("mqtt") || Subprotocols.Any(s.Negotiated)
        || (s.Session?.Messages ?? []).Any(m => m.Opcode == Opcode.Binary && ConnAck(m.Payload) is not null);

    public async Task<Finding?> ConfirmAsync(AppSignals s, AppProbes probes, bool followUps)
    {
        if (!followUps)
        {
            return null;
        }

        var clientId = "wsdoctor-check-" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        var answer = await probes.WebSocketAsync(s.Target.PathAndQuery, ["mqtt"], Opcode.Binary, MqttPackets.Connect(clientId, 0)).ConfigureAwait(false);
        if (answer?.FirstBinary is not { } reply || ConnAck(reply) is not { } code)
        {
            return null;
        }

        var evidence = new List<string> { s.DescribeAnswer() };
        if (s.DescribeEnd() is { } end)
        {
            evidence.Add(end + (s.Session!.EndedAfterSend ? ": an MQTT broker closes at the first message that is not an MQTT packet" : ""));
        }

        var meaning = MqttPackets.ConnAckCodes.TryGetValue(code, out var m) ? m : "unknown return code";
        evidence.Add(answer.Describe("offering mqtt and sending an MQTT 3.1.1 CONNECT") + $": CONNACK return code {code} ({meaning})");
        var clientRight = s.Selected is { } selected && Subprotocols.Contains(selected, StringComparer.OrdinalIgnoreCase);
        var explains = s.Failed && !clientRight;
        var message = explains
            ? "this is an MQTT broker: a plain WebSocket client cannot talk to it"
            : clientRight ? "the endpoint is an MQTT broker (subprotocol mqtt)" : "the endpoint is an MQTT broker: it speaks MQTT packets, not plain messages";
        var fix = $"Use an MQTT client over WebSocket such as mqtt.js: mqtt.connect(\"{AppFindings.Url(s, s.Target.PathAndQuery)}\"), which offers the subprotocol mqtt and sends CONNECT in binary frames (wsdoctor connect --protocol mqtt does)."
            + (code is 4 or 5 ? " The broker refused an anonymous CONNECT: pass a user name and password (mqtt.connect(url, { username, password }))." : "");
        return Finding.Create(Codes.AppMqtt, message, evidence, fix, new Dictionary<string, object?>
        {
            ["protocol"] = "mqtt",
            ["subprotocol"] = answer.Selected,
            ["connAckCode"] = code,
        }, AppFindings.SeverityFor(explains, clientRight));
    }

    private static int? ConnAck(byte[] payload)
    {
        var reader = new MqttPacketReader();
        var packets = new List<MqttPacket>();
        reader.Consume(payload, packets);
        return packets.FirstOrDefault(p => p.Type == MqttPacketType.ConnAck)?.ConnAckCode;
    }
}
