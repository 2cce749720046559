using Wsdoctor.Findings;
using Wsdoctor.Protocol;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Session;

/// <summary>Close code explanations (<see cref="CloseCodes"/>) and frame violations (<see cref="ProtocolViolation"/>)
/// in every output language: the tables in Wsdoctor.Protocol are English, the Chinese is kept here beside them.
/// Code names ("Normal Closure") are the registry's and stay English.</summary>
public static class SessionTexts
{
    private static readonly Dictionary<int, (string Meaning, string Cause, string Fix)> CloseZh = new()
    {
        [1000] = ("连接已完成任务，是有意关闭的。",
            "应用代码在没有出错的情况下调用了 close()：用户退出、页面跳转，或服务端结束了已完成的会话。",
            "协议层面无需修复；如果这次关闭出乎意料，找出调用 close() 的地方（看服务端日志，或在客户端的 close 上打断点）。"),
        [1001] = ("端点正在离开：服务端正在关机，或浏览器离开了页面。",
            "服务端重启或部署、负载均衡器在摘除实例，或用户关闭了标签页、跳转到别的页面。",
            "用指数退避重连；服务端关机时先排空连接，让客户端重连到其他实例。"),
        [1002] = ("端点收到了违反 RFC 6455 的帧。",
            "手写的 WebSocket 实现，或会改写帧的代理：服务端帧带了掩码、长度错误、没有协商扩展却设置了 RSV 位。",
            "对服务端运行 wsdoctor frames 找出出问题的帧，然后修复所用的库，或绕开改写数据流的代理。"),
        [1003] = ("端点收到了它无法接受的数据类型，例如只处理文本时收到了二进制。",
            "向只处理 Text 的服务端发送 Binary 帧（或反过来），常见于给 JSON 服务端发送 Blob 或 ArrayBuffer。",
            "发送服务端期望的消息类型：Text 用字符串，Binary 用 ArrayBuffer；检查服务端的消息处理函数。"),
        [1004] = ("RFC 6455 7.4.1 保留的关闭码，含义可能在将来定义。",
            "服务端或库擅自使用了保留的关闭码。",
            "协议层面的原因用 1000-1003 或 1007-1014，自定义原因用 4000-4999。"),
        [1005] = ("没有关闭码：Close 帧为空。API 会报告 1005，但它从不出现在线路上。",
            "对端发送了不带负载的 Close 帧（这是允许的）；或者某个库错误地把 1005 写进了帧里。",
            "如果需要原因，就用明确的关闭码（例如 1000）关闭；永远不要在 Close 帧里发送 1005。"),
        [1006] = ("TCP 连接关闭了，但没有收到任何 Close 帧；API 会报告 1006，但它从不出现在线路上。",
            "服务端进程崩溃或被杀死，代理或负载均衡器触发了空闲超时（通常是 60 s），网络中断，或 TLS 在握手完成前失败。",
            "查看那一刻的服务端日志有无崩溃；调大代理的空闲超时（nginx proxy_read_timeout、AWS ALB 空闲超时），或让 ping 间隔短于超时；运行 wsdoctor 看连接断在哪里。"),
        [1007] = ("消息的数据与其类型不一致，典型情况是 Text 消息不是合法的 UTF-8。",
            "在 Text 帧里发送二进制或 Latin-1 字节，或分片时把 UTF-8 字符从中间切开。",
            "二进制数据用 Binary 帧发送；文本编码为 UTF-8，且只在字符之间分片。"),
        [1008] = ("端点收到了违反其策略的消息；这是一种笼统的拒绝。",
            "最常见的是认证或授权问题：令牌缺失、过期或无效，或者 Origin 不在服务端允许的范围内。",
            "检查令牌（wsdoctor 会解码 JWT 的过期时间）、cookie 以及服务端允许的 Origin；服务端日志通常会写明是哪条策略。"),
        [1009] = ("端点收到的消息太大，无法处理。",
            "消息超出了服务端的限制（例如 ws maxPayload、ASP.NET Core ReceiveBufferSize、Spring setMaxTextMessageBufferSize）。",
            "把数据拆成更小的消息，或调大接收方的消息大小限制。"),
        [1010] = ("服务端没有协商客户端必需的扩展，客户端因此关闭。",
            "客户端要求某个扩展（在原因中列出），但服务端的握手响应没有接受它。",
            "在服务端启用该扩展，或让客户端不再强制要求它。"),
        [1011] = ("服务端遇到了意外情况，无法完成请求。",
            "服务端消息处理函数中出现了未处理的异常。",
            "查看关闭时刻的服务端日志找到异常并修复处理函数；客户端通常没有做错什么。"),
        [1012] = ("服务正在重启。",
            "服务端在部署或重启。",
            "等待一段随机的短时间后重连，避免所有客户端同时回来。"),
        [1013] = ("服务暂时过载或正在限流。",
            "连接或消息太多：触发了限流、连接数上限，或后端过载。",
            "用带抖动的指数退避重连；降低消息频率；检查服务端的连接数限制。"),
        [1014] = ("网关或代理从上游服务端收到了无效响应。",
            "WebSocket 服务端前面的代理连不上后端，或从后端收到了损坏的响应。",
            "检查后端是否在运行、代理能否访问它，以及代理配置的上游地址和端口。"),
        [1015] = ("TLS 握手失败；API 会报告 1015，但它从不出现在线路上。",
            "证书不受信任、已过期或属于其他主机名，或者没有共同的 TLS 版本或加密套件。",
            "对 wss:// URL 运行 wsdoctor 查看证书问题；修复证书链或主机名。"),
        [3000] = ("在 IANA 为框架注册的关闭码：客户端未通过认证。",
            "连接时没有带凭据，或带的是已过期的令牌。",
            "发送有效的凭据（cookie，或放在子协议、首条消息中的令牌），并在重连前刷新过期的令牌。"),
        [3003] = ("在 IANA 为框架注册的关闭码：客户端已认证，但没有权限。",
            "用户缺少该频道要求的权限或角色。",
            "在服务端授予该权限，或换一个有权限的用户连接。"),
        [3008] = ("在 IANA 为框架注册的关闭码：端点超时。",
            "对端没有及时响应，例如在服务端的期限内没有发送认证消息或没有回复 pong。",
            "更早发送服务端期望的消息，或回应 ping；检查服务端的超时设置。"),
    };

    /// <summary>Meaning, likely cause and fix of a close code, in every language (check's and watch's close findings).</summary>
    public static (Text Meaning, Text LikelyCause, Text Fix) Of(CloseCodeInfo info) => (Meaning(info), LikelyCause(info), Fix(info));

    public static Text Meaning(CloseCodeInfo info) => T(Checked(info).Meaning, Chinese(info.Code).Meaning);

    public static Text LikelyCause(CloseCodeInfo info) => T(Checked(info).LikelyCause, Chinese(info.Code).Cause);

    public static Text Fix(CloseCodeInfo info) => T(Checked(info).Fix, Chinese(info.Code).Fix);

    private static CloseCodeInfo Checked(CloseCodeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info;
    }

    /// <summary>A registered code's own texts, else those of the range RFC 6455 7.4.2 puts it in (as
    /// <see cref="CloseCodes.Describe"/> does in English).</summary>
    private static (string Meaning, string Cause, string Fix) Chinese(int c) => CloseZh.TryGetValue(c, out var zh) ? zh : c switch
    {
        < 1000 or >= 5000 => ($"关闭码 {c} 不在 RFC 6455 7.4.2 定义的任何范围内。",
            "库的 bug，或者关闭码的字节序写反了。",
            "正常关闭用 1000，应用自己的原因用 4000-4999 的关闭码。"),
        < 3000 => ($"关闭码 {c} 位于 1016-2999，这一段保留给协议的后续版本和扩展。",
            "服务端或库选用了一个未注册的协议关闭码。",
            "自定义原因请用 4000-4999 的关闭码。"),
        < 4000 => ($"关闭码 {c} 位于 3000-3999，由库和框架在 IANA 注册。",
            "对端的框架出于自身原因关闭了连接（Socket.IO、Phoenix、SignalR 等都使用这一段）。",
            "在 IANA 的 WebSocket 关闭码注册表或该框架的文档中查找这个关闭码。"),
        _ => ($"关闭码 {c} 位于 4000-4999，由应用自己定义：请查看服务端的代码或文档。",
            "这个关闭码由应用选定，通常表示认证失败、会话被踢下线或触发了某条业务规则。",
            "在服务端代码中搜索这个数字，并阅读随它一起发送的关闭原因。"),
    };

    /// <summary>The violation as evidence: the frame and the rule it breaks.</summary>
    public static Text Violation(ProtocolViolation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        return T(violation.Description, $"字节偏移 {violation.Offset} 处的帧（{ByteEvidence.Hex(violation.FrameHeader)}）：{Rule(violation.Kind)}");
    }

    /// <summary>The rule a kind of violation breaks, in Chinese (the finding's message names it; English names the kind).</summary>
    public static string Rule(ViolationKind kind) => kind switch
    {
        ViolationKind.MaskedFrameFromServer => "服务端的帧带了掩码（RFC 6455 5.1：服务端不得对任何帧加掩码）",
        ViolationKind.UnmaskedFrameFromClient => "客户端的帧没有掩码（RFC 6455 5.1：客户端必须对发送的每一帧加掩码）",
        ViolationKind.ReservedBitsSet => "设置了 RSV1-3 位，但没有协商定义这些位的扩展（RFC 6455 5.2）",
        ViolationKind.ReservedOpcode => "使用了保留的操作码（RFC 6455 5.2：0x3-0x7 和 0xB-0xF 为保留值）",
        ViolationKind.FragmentedControlFrame => "出现了分片的控制帧（RFC 6455 5.5：控制帧不得分片）",
        ViolationKind.ControlFrameTooLong => "控制帧的负载超过 125 字节（RFC 6455 5.5）",
        ViolationKind.NonMinimalLength => "负载长度没有用最少的字节编码（RFC 6455 5.2）",
        ViolationKind.LengthMsbSet => "64 位负载长度的最高位被置 1（RFC 6455 5.2：该位必须为 0）",
        ViolationKind.UnexpectedContinuation => "没有进行中的消息，却收到了续帧（RFC 6455 5.4）",
        ViolationKind.MessageInterleaved => "上一条消息还没结束，就开始了新的数据消息（RFC 6455 5.4）",
        ViolationKind.InvalidUtf8 => "Text 消息不是合法的 UTF-8（RFC 6455 8.1）",
        ViolationKind.InvalidClosePayload => "Close 帧的负载恰好只有 1 字节（RFC 6455 5.5.1）",
        ViolationKind.InvalidCloseCode => "Close 帧中的关闭码不允许出现在线路上（RFC 6455 7.4）",
        ViolationKind.InvalidCloseReasonUtf8 => "关闭原因不是合法的 UTF-8（RFC 6455 5.5.1）",
        ViolationKind.MessageTooBig => "数据消息超出了允许的最大长度",
        ViolationKind.DataAfterClose => "对端发送 Close 帧之后又发来了数据帧（RFC 6455 5.5.1）",
        _ => "违反了 RFC 6455 的分帧规则",
    };
}
