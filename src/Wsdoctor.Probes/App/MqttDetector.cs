using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

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

        var evidence = new List<Text> { s.DescribeAnswer() };
        if (s.DescribeEnd() is { } end)
        {
            evidence.Add(end + (s.Session!.EndedAfterSend ? T(": an MQTT broker closes at the first message that is not an MQTT packet", "：MQTT broker 收到第一条不是 MQTT 包的消息就会关闭连接") : Text.Empty));
        }

        var meaning = MqttConnAck.Meaning(code);
        evidence.Add(answer.Describe(T("offering mqtt and sending an MQTT 3.1.1 CONNECT", "提供 mqtt 并发送 MQTT 3.1.1 CONNECT")) + T($": CONNACK return code {code} ({meaning})", $"：CONNACK 返回码 {code}（{meaning}）"));
        var clientRight = s.Selected is { } selected && Subprotocols.Contains(selected, StringComparer.OrdinalIgnoreCase);
        var explains = s.Failed && !clientRight;
        var message = explains
            ? T("this is an MQTT broker: a plain WebSocket client cannot talk to it", "这是一个 MQTT broker：普通的 WebSocket 客户端无法与它通信")
            : clientRight ? T("the endpoint is an MQTT broker (subprotocol mqtt)", "该端点是 MQTT broker（子协议 mqtt）") : T("the endpoint is an MQTT broker: it speaks MQTT packets, not plain messages", "该端点是 MQTT broker：它收发的是 MQTT 包，而不是普通消息");
        var url = AppFindings.Url(s, s.Target.PathAndQuery);
        var fix = T($"Use an MQTT client over WebSocket such as mqtt.js: mqtt.connect(\"{url}\"), which offers the subprotocol mqtt and sends CONNECT in binary frames (wsdoctor connect --protocol mqtt does).",
                $"使用支持 WebSocket 的 MQTT 客户端，例如 mqtt.js：mqtt.connect(\"{url}\")，它会提供子协议 mqtt，并用二进制帧发送 CONNECT（wsdoctor connect --protocol mqtt 也是这样做的）。")
            + (code is 4 or 5 ? T(" The broker refused an anonymous CONNECT: pass a user name and password (mqtt.connect(url, { username, password })).", "broker 拒绝了匿名 CONNECT：请传入用户名和密码（mqtt.connect(url, { username, password })）。") : Text.Empty);
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
