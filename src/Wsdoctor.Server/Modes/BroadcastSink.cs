using Wsdoctor.Server.Sessions;

namespace Wsdoctor.Server.Modes;

/// <summary>Every message to every other connected client.</summary>
public sealed class BroadcastSink(FanOut fanOut) : IMessageSink
{
    public ValueTask<bool> ReceivedAsync(Session from, Outgoing message, CancellationToken ct)
    {
        fanOut.Send(message, except: from);
        return ValueTask.FromResult(true);
    }
}
