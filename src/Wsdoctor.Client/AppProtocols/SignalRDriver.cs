using System.Globalization;
using System.Net.WebSockets;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>ASP.NET Core SignalR, JSON hub protocol over the WebSocket transport: the handshake first, then
/// invocations typed as <c>Method, args</c> (each with an invocation id, so the completion shows the result), the
/// server's invocations shown as <c>Method(args)</c>, a ping every 15 s as the hub expects.</summary>
public sealed class SignalRDriver : AppProtocolDriver
{
    private bool handshakeDone;
    private long nextId;

    public override string Name => "SignalR";

    public override Text InputHint => Text.T("type an invocation as: Method, arg, arg (arguments as JSON, or one string)", "按“方法, 参数, 参数”的格式输入调用（参数写成 JSON，或者一个字符串）");

    /// <summary>The hub's default KeepAliveInterval; the server drops a client silent for ClientTimeoutInterval (30 s).</summary>
    public override TimeSpan? KeepAliveInterval => TimeSpan.FromSeconds(15);

    public override IEnumerable<AppOutgoing> KeepAlive() => [AppOutgoing.Text(SignalRHub.PingMessage)];

    public override void Start(string? selectedSubprotocol) => SendText(SignalRHub.Handshake);

    public override AppView Read(TapDirection direction, WebSocketMessageType type, byte[] data)
    {
        var records = SignalRHub.Records(Utf8(data));
        if (records.Count == 0)
        {
            return new AppView(null);
        }

        var shown = new List<string>();
        var housekeeping = true;
        foreach (var record in records)
        {
            if (direction == TapDirection.Out && record.Contains("\"protocol\"", StringComparison.Ordinal) && SignalRHub.TypeOf(record) is null)
            {
                shown.Add("handshake: protocol json, version 1");
                housekeeping = false;
                continue;
            }

            bool first;
            lock (Gate)
            {
                first = direction == TapDirection.In && !handshakeDone;
                handshakeDone |= first;
            }

            if (first && SignalRHub.ParseHandshakeResponse(record) is { } answer)
            {
                housekeeping = false;
                if (answer.Ok)
                {
                    MarkReady();
                    shown.Add("handshake accepted");
                }
                else
                {
                    MarkRefused(Text.T($"the hub refused the handshake: {answer.Error}", $"hub 拒绝了握手：{answer.Error}"));
                    shown.Add($"handshake refused: {answer.Error}");
                }

                continue;
            }

            if (SignalRHub.TypeOf(record) == SignalRMessageType.Ping)
            {
                shown.Add("ping");
                continue;
            }

            housekeeping = false;
            var text = SignalRHub.Describe(record) ?? record;
            shown.Add(direction == TapDirection.Out && SignalRHub.TypeOf(record) == SignalRMessageType.Invocation ? "invoke " + text : text);
        }

        return new AppView(string.Join("; ", shown), housekeeping);
    }

    public override IReadOnlyList<AppOutgoing> Encode(string line)
    {
        var (method, args) = AppProtocol.SplitCall(line);
        long id;
        lock (Gate)
        {
            id = ++nextId;
        }

        return [AppOutgoing.Text(SignalRHub.Invocation(method, args, id.ToString(CultureInfo.InvariantCulture)))];
    }
}
