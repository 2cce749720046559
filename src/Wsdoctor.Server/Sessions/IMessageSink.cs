namespace Wsdoctor.Server.Sessions;

/// <summary>What a mode does with a session's messages (echo, broadcast, stdio).</summary>
public interface IMessageSink
{
    /// <summary>False when the message was dropped because its session is already closing.</summary>
    ValueTask<bool> ReceivedAsync(Session from, Outgoing message, CancellationToken ct);
}
