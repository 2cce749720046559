namespace Wsdoctor.Server.Sessions;

/// <summary>What a mode does with a session's messages (echo, broadcast, stdio).</summary>
public interface IMessageSink
{
    void Joined(Session session);

    ValueTask ReceivedAsync(Session from, Outgoing message, CancellationToken ct);

    void Left(Session session);
}
