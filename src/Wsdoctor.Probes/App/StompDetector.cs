using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Protocol.Frames;

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
        var evidence = new List<string> { s.DescribeAnswer() };
        var seen = ServerFrame(s);
        if (seen is not null)
        {
            evidence.Add($"the server sent a STOMP {seen.Command} frame{(seen.Header("message") is { } m ? $": message:{m}" : "")}");
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
                evidence.Add(answer.Describe($"offering {string.Join(", ", StompFrame.Subprotocols)} and sending CONNECT"));
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
            ? "this is a STOMP broker: a plain WebSocket client cannot talk to it"
            : clientRight ? $"the endpoint is a STOMP broker (subprotocol {s.Selected})" : "the endpoint is a STOMP broker: it speaks STOMP frames, not plain messages";
        var fix = $"Use a STOMP client such as @stomp/stompjs: new Client({{ brokerURL: \"{AppFindings.Url(s, s.Target.PathAndQuery)}\" }}) (it offers v12.stomp, v11.stomp, v10.stomp), or offer v12.stomp yourself and send a CONNECT frame first.";
        return Finding.Create(Codes.AppStomp, message, evidence, fix, new Dictionary<string, object?>
        {
            ["protocol"] = "stomp",
            ["stompVersion"] = version,
            ["serverFrame"] = seen.Command,
        }, AppFindings.SeverityFor(explains, clientRight));
    }

    private static StompFrame? ServerFrame(AppSignals s) => s.TextMessages.Select(StompFrame.ParseServerFrame).FirstOrDefault(f => f is not null);
}
