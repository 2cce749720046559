using System.Globalization;
using System.Net.WebSockets;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.AppProtocols;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>STOMP 1.2 (1.0 and 1.1 too) over WebSocket: CONNECT first, SUBSCRIBE to each --topic destination once
/// CONNECTED, lines typed as <c>destination, body</c> sent as SEND, MESSAGE shown as <c>message DEST: body</c>.</summary>
public sealed class StompDriver(AppProtocolOptions options) : AppProtocolDriver
{
    private const string SubscribedReceipt = "wsdoctor-subscribed";

    public override string Name => "STOMP";

    public override Text InputHint => Text.T("type a message to send as: destination, body", "按“目的地, 消息体”的格式输入要发送的消息");

    public override IReadOnlyList<string> Subprotocols => StompFrame.Subprotocols;

    public override void Start(string? selectedSubprotocol) => SendText(StompFrame.Connect(options.Host).Encode());

    public override AppView Read(TapDirection direction, WebSocketMessageType type, byte[] data)
    {
        var text = Utf8(data);
        if (text.Trim('\n', '\r').Length == 0)
        {
            return new AppView("heart-beat", Housekeeping: true);
        }

        if (StompFrame.Parse(text) is not { } frame)
        {
            return new AppView(null);
        }

        switch (frame.Command)
        {
            case "CONNECTED":
                if (options.Topics.Count == 0)
                {
                    MarkReady();
                }

                for (var n = 0; n < options.Topics.Count; n++)
                {
                    // The last SUBSCRIBE asks for a receipt: ready once the broker has taken the subscriptions.
                    List<KeyValuePair<string, string>> headers = [new("id", "sub-" + n.ToString(CultureInfo.InvariantCulture)), new("destination", options.Topics[n]), new("ack", "auto")];
                    if (n == options.Topics.Count - 1)
                    {
                        headers.Add(new("receipt", SubscribedReceipt));
                    }

                    SendText(new StompFrame("SUBSCRIBE", headers, "").Encode());
                }

                return new AppView($"connected (STOMP {frame.Header("version") ?? "1.0"}{(frame.Header("server") is { } server ? $", {server}" : "")})");
            case "ERROR":
                MarkRefused(Text.T($"the broker sent ERROR: {frame.Header("message")}", $"broker 发来了 ERROR：{frame.Header("message")}"));
                return new AppView($"error: {frame.Header("message")}{(frame.Body.Length > 0 ? $" ({frame.Body.Trim()})" : "")}");
            case "MESSAGE":
                return new AppView($"message {frame.Header("destination")}: {frame.Body}");
            case "RECEIPT":
                if (frame.Header("receipt-id") == SubscribedReceipt)
                {
                    MarkReady();
                }

                return new AppView($"receipt {frame.Header("receipt-id")}");
            case "SEND":
                return new AppView($"send {frame.Header("destination")}: {frame.Body}");
            case "SUBSCRIBE":
                return new AppView($"subscribe {frame.Header("destination")}");
            default:
                return new AppView(frame.Command.ToLowerInvariant());
        }
    }

    public override IReadOnlyList<AppOutgoing> Encode(string line)
    {
        var (destination, body) = AppProtocol.SplitTarget(line);
        return [AppOutgoing.Text(new StompFrame("SEND", [new("destination", destination), new("content-type", "text/plain")], body).Encode())];
    }

    public override IEnumerable<AppOutgoing> Goodbye() => [AppOutgoing.Text(StompFrame.Disconnect().Encode())];
}
