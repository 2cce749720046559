using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>MQTT 3.1.1 CONNACK return codes (section 3.2.2.3) in every output language: check's MQTT layer and connect
/// --protocol mqtt say the same thing.</summary>
public static class MqttConnAck
{
    /// <summary>The Chinese of <see cref="MqttPackets.ConnAckCodes"/>.</summary>
    private static readonly Dictionary<int, string> Zh = new()
    {
        [0] = "连接已接受",
        [1] = "协议版本不可接受",
        [2] = "客户端标识符被拒绝",
        [3] = "服务不可用",
        [4] = "用户名或密码错误",
        [5] = "未授权",
    };

    public static Text Meaning(int code) =>
        MqttPackets.ConnAckCodes.TryGetValue(code, out var m) ? T(m, Zh.GetValueOrDefault(code, m)) : T("unknown return code", "未知的返回码");
}
