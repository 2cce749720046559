using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Wsdoctor.Client.Tap;
using Wsdoctor.Findings;

namespace Wsdoctor.Client.AppProtocols;

/// <summary>A line the user typed that does not fit the protocol, with the reason in every output language.</summary>
public sealed class InputFormatException(Text reason) : FormatException(reason.En)
{
    public Text Reason { get; } = reason;
}

/// <summary>A message the driver wants sent (a reply it owes the server, or what the user typed, encoded).</summary>
public sealed record AppOutgoing(WebSocketMessageType Type, byte[] Data)
{
    public static AppOutgoing Text(string text) => new(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));
}

/// <summary>One data message read the protocol's way: the text shown for it (null: shown raw), and whether it is the
/// protocol's housekeeping (pings, pongs, keep-alives), shown only with -P.</summary>
public sealed record AppView(string? Text, bool Housekeeping = false);

/// <summary>Speaks one application protocol over an open connection: what to send first, how to read each message
/// both ways, what to answer on its own (Engine.IO pongs, GraphQL pongs), and how to turn a line the user typed into a
/// message. Messages it wants sent go through <see cref="Outgoing"/>, which connect drains in order. One instance
/// per connection; <see cref="Read"/> is called from the receive loop and from senders, so state is under a lock.</summary>
public abstract class AppProtocolDriver
{
    private readonly Channel<AppOutgoing> outgoing = Channel.CreateBounded<AppOutgoing>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly TaskCompletionSource<Text?> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected Lock Gate { get; } = new();

    public abstract string Name { get; }

    /// <summary>Subprotocols to offer when the user offered none.</summary>
    public virtual IReadOnlyList<string> Subprotocols => [];

    /// <summary>Housekeeping the client must send on its own (SignalR's ping, MQTT's PINGREQ) and how often; null: none.</summary>
    public virtual TimeSpan? KeepAliveInterval => null;

    /// <summary>The messages to send now, or null when nothing is due.</summary>
    public virtual IEnumerable<AppOutgoing> KeepAlive() => [];

    public ChannelReader<AppOutgoing> Outgoing => outgoing.Reader;

    /// <summary>Completes when the protocol's own handshake is done (null) or refused (the reason): what -x waits for.</summary>
    public Task<Text?> Ready => ready.Task;

    /// <summary>Called once the WebSocket is open, with the subprotocol the server selected.</summary>
    public abstract void Start(string? selectedSubprotocol);

    /// <summary>How to show one data message, and for incoming ones what to answer.</summary>
    public abstract AppView Read(TapDirection direction, WebSocketMessageType type, byte[] data);

    /// <summary>A line the user typed as the protocol's messages; <see cref="FormatException"/> when it does not fit.</summary>
    public abstract IReadOnlyList<AppOutgoing> Encode(string line);

    /// <summary>What the input lines look like, for the connected banner.</summary>
    public abstract Text InputHint { get; }

    /// <summary>Sent before our Close frame when the user leaves (MQTT DISCONNECT, STOMP DISCONNECT).</summary>
    public virtual IEnumerable<AppOutgoing> Goodbye() => [];

    protected void Send(AppOutgoing message) => outgoing.Writer.TryWrite(message);

    protected void SendText(string text) => Send(AppOutgoing.Text(text));

    protected void MarkReady() => ready.TrySetResult(null);

    protected void MarkRefused(Text reason) => ready.TrySetResult(reason);

    /// <summary>The session is over: nothing more will be sent, and whoever waits for the handshake stops waiting.</summary>
    public void Finish()
    {
        outgoing.Writer.TryComplete();
        ready.TrySetResult(Text.T("the connection ended before the protocol's handshake completed", "应用协议的握手完成之前连接就结束了"));
    }

    protected static string Utf8(byte[] data) => Encoding.UTF8.GetString(data);
}
