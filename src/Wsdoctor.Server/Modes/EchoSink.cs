using Wsdoctor.Server.Sessions;

namespace Wsdoctor.Server.Modes;

/// <summary>Every message back to its sender. Waits for room in the sender's own queue: a client that sends
/// faster than it reads only slows itself down.</summary>
public sealed class EchoSink : IMessageSink
{
    public ValueTask<bool> ReceivedAsync(Session from, Outgoing message, CancellationToken ct) =>
        from.EnqueueAsync(message, ct);
}
