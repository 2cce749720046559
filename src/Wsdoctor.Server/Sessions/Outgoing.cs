using System.Net.WebSockets;

namespace Wsdoctor.Server.Sessions;

/// <summary>One whole message to send. The payload is never mutated, so broadcast shares it between sessions.</summary>
public readonly record struct Outgoing(ReadOnlyMemory<byte> Payload, WebSocketMessageType Type);
