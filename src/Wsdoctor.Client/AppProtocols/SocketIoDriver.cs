using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>Socket.IO 3/4 over Engine.IO 4 (WebSocket transport only): the server's open packet is answered with a
/// connect to the main namespace ("40"), its pings ("2") with pongs ("3"); events read and typed as
/// <c>name, args</c>, each typed event asking for an acknowledgement, shown as <c>ack N: args</c>.</summary>
public sealed class SocketIoDriver : AppProtocolDriver
{
    private long nextAck;

    public override string Name => "Socket.IO";

    public override Text InputHint => Text.T("type an event as: name, arg, arg (arguments as JSON, or one string)", "按“事件名, 参数, 参数”的格式输入事件（参数写成 JSON，或者一个字符串）");

    public override void Start(string? selectedSubprotocol)
    {
        // Engine.IO 4: the server speaks first with its open packet.
    }

    public override AppView Read(TapDirection direction, WebSocketMessageType type, byte[] data)
    {
        if (type == WebSocketMessageType.Binary)
        {
            return new AppView($"binary attachment, {data.Length} bytes");
        }

        var text = Utf8(data);
        if (text.Length == 0)
        {
            return new AppView(null);
        }

        switch (text[0])
        {
            case EngineIo.Open when direction == TapDirection.In && EngineIo.ParseOpen(text) is { } open:
                SendText("40");
                return new AppView($"engine.io open: sid {open.Sid}, pingInterval {open.PingIntervalMs?.ToString(CultureInfo.InvariantCulture) ?? "?"} ms, pingTimeout {open.PingTimeoutMs?.ToString(CultureInfo.InvariantCulture) ?? "?"} ms");
            case EngineIo.Ping:
                if (direction == TapDirection.In)
                {
                    SendText("3" + text[1..]);
                }

                return new AppView("engine.io ping", Housekeeping: true);
            case EngineIo.Pong:
                return new AppView("engine.io pong", Housekeeping: true);
            case EngineIo.Close:
                return new AppView("engine.io close");
            case EngineIo.Message:
                return new AppView(Packet(direction, text[1..]));
            default:
                return new AppView(null);
        }
    }

    private string? Packet(TapDirection direction, string text)
    {
        if (SocketIoPacket.Parse(text) is not { } packet)
        {
            return null;
        }

        var ns = packet.Namespace == "/" ? "" : $" {packet.Namespace}";
        switch (packet.Type)
        {
            case SocketIoType.Connect when direction == TapDirection.In:
                MarkReady();
                return $"connected to namespace {packet.Namespace}{(packet.Data?["sid"] is { } sid ? $" (sid {sid})" : "")}";
            case SocketIoType.Connect:
                return $"connect to namespace {packet.Namespace}";
            case SocketIoType.ConnectError:
                var why = packet.Data?["message"]?.ToString() ?? packet.Data?.ToJsonString();
                MarkRefused(Text.T($"the server refused the namespace {packet.Namespace}: {why}", $"服务端拒绝了命名空间 {packet.Namespace}：{why}"));
                return $"connect_error{ns}: {packet.Data?["message"]?.ToString() ?? packet.Data?.ToJsonString()}";
            case SocketIoType.Disconnect:
                return $"disconnect{ns}";
            case SocketIoType.Event or SocketIoType.BinaryEvent when packet.AsEvent() is { } e:
                var args = e.Args.Count == 0 ? "" : ", " + AppProtocol.Json(e.Args);
                return $"event {e.Name}{args}{ns}{(packet.AckId is { } id ? $" (ack {id.ToString(CultureInfo.InvariantCulture)})" : "")}";
            case SocketIoType.Ack or SocketIoType.BinaryAck:
                return $"ack {packet.AckId?.ToString(CultureInfo.InvariantCulture)}: {(packet.Data is JsonArray a ? AppProtocol.Json(a) : packet.Data?.ToJsonString())}{ns}";
            default:
                return null;
        }
    }

    public override IReadOnlyList<AppOutgoing> Encode(string line)
    {
        var (name, args) = AppProtocol.SplitCall(line);
        long id;
        lock (Gate)
        {
            id = ++nextAck;
        }

        return [AppOutgoing.Text("4" + SocketIoPacket.Event(name, args, id).Encode())];
    }
}
