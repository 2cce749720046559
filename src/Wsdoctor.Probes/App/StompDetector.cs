using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>STOMP over WebSocket: a STOMP frame from the server on the connection itself (typically ERROR after a plain
/// message), and a connection offering v12.stomp, v11.stomp and v10.stomp that sends CONNECT and gets CONNECTED.</summary>
internal sealed class StompDetector : IAppDetector
{
    public string Name => "STOMP";

    public bool Hinted(AppSignals s) =>
        s.PathHas("stomp") || StompFrame.Subprotocols.Any(s.Negotiated) || ServerFrame(s) is not null;

    public async Task<Finding?> ConfirmAsync(AppSignals s, AppProbes probes, bool followUps)
    {
        var evidence = new List<Text> { s.DescribeAnswer() };
        var seen = ServerFrame(s);
        if (seen is not null)
        {
            var header = seen.Header("message") is { } m ? $"message:{m}" : null;
            evidence.Add(header is null
                ? T($"the server sent a STOMP {seen.Command} frame", $"服务端发送了 STOMP {seen.Command} 帧")
                : T($"the server sent a STOMP {seen.Command} frame: {header}", $"服务端发送了 STOMP {seen.Command} 帧：{header}"));
        }

        if (s.DescribeEnd() is { } end)
        {
            evidence.Add(end);
        }

        string? version = null;
        if (followUps)
        {
            var connect = StompFrame.Connect(s.Target.Host).Encode();
            var answer = await probes.WebSocketAsync(s.Target.PathAndQuery, StompFrame.Subprotocols, Opcode.Text, Encoding.UTF8.GetBytes(connect)).ConfigureAwait(false);
            if (answer?.FirstText is { } text && StompFrame.ParseServerFrame(text) is { } reply)
            {
                var offered = string.Join(", ", StompFrame.Subprotocols);
                evidence.Add(answer.Describe(T($"offering {offered} and sending CONNECT", $"提供 {offered} 并发送 CONNECT")));
                version = reply.Command == "CONNECTED" ? reply.Header("version") ?? "1.0" : null;
                seen ??= reply;
            }
        }

        if (seen is null)
        {
            return null;
        }

        var clientRight = s.Selected is { } selected && StompFrame.Subprotocols.Contains(selected, StringComparer.OrdinalIgnoreCase);
        var explains = s.Failed && !clientRight;
        var message = explains
            ? T("this is a STOMP broker: a plain WebSocket client cannot talk to it", "这是一个 STOMP broker：普通的 WebSocket 客户端无法与它通信")
            : clientRight ? T($"the endpoint is a STOMP broker (subprotocol {s.Selected})", $"该端点是 STOMP broker（子协议 {s.Selected}）") : T("the endpoint is a STOMP broker: it speaks STOMP frames, not plain messages", "该端点是 STOMP broker：它收发的是 STOMP 帧，而不是普通消息");
        var url = AppFindings.Url(s, s.Target.PathAndQuery);
        var fix = T($"Use a STOMP client such as @stomp/stompjs: new Client({{ brokerURL: \"{url}\" }}) (it offers v12.stomp, v11.stomp, v10.stomp), or offer v12.stomp yourself and send a CONNECT frame first.",
            $"使用 STOMP 客户端，例如 @stomp/stompjs：new Client({{ brokerURL: \"{url}\" }})（它会提供 v12.stomp、v11.stomp、v10.stomp），或者自己提供 v12.stomp 并先发送 CONNECT 帧。");
        return Finding.Create(Codes.AppStomp, message, evidence, fix, new Dictionary<string, object?>
        {
            ["protocol"] = "stomp",
            ["stompVersion"] = version,
            ["serverFrame"] = seen.Command,
        }, AppFindings.SeverityFor(explains, clientRight));
    }

    private static StompFrame? ServerFrame(AppSignals s) => s.TextMessages.Select(StompFrame.ParseServerFrame).FirstOrDefault(f => f is not null);
}
