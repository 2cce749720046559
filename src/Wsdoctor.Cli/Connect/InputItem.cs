using System.Net.WebSockets;

namespace Wsdoctor.Cli.Connect;

/// <summary>What the user (stdin, the prompt, -x) asks the connection to do next.</summary>
public abstract record InputItem
{
    public sealed record Send(WebSocketMessageType Type, byte[] Data) : InputItem;

    public sealed record Ping(byte[] Payload) : InputItem;

    public sealed record Close(int Code, string Reason) : InputItem;

    /// <summary>stdin ended (pipe mode) or Ctrl-D (prompt).</summary>
    public sealed record EndOfInput : InputItem;

    /// <summary>Ctrl-C at the prompt: leave without waiting.</summary>
    public sealed record Quit : InputItem;
}
