using Wsdoctor.Server.Sessions;

namespace Wsdoctor.Server.Modes;

/// <summary>Every message back to its sender. Waits for room in the sender's own queue: a client that sends
/// faster than it reads only slows itself down.</summary>
public sealed class EchoSink : IMessageSink
{
    public void Joined(Session session)
    {
    }

    public async ValueTask ReceivedAsync(Session from, Outgoing message, CancellationToken ct) =>
        await from.EnqueueAsync(message, ct).ConfigureAwait(false);

    public void Left(Session session)
    {
    }
}
