using Wsdoctor.Server.Sessions;

namespace Wsdoctor.Server.Modes;

/// <summary>Delivers one message to many sessions without ever waiting on one of them: a full queue closes that
/// consumer. Serialised, so every recipient sees messages in the order the server received them.</summary>
public sealed class FanOut(SessionHub hub)
{
    private readonly Lock order = new();

    public void Send(Outgoing message, Session? except)
    {
        // The sender's payload is only valid during its call; every recipient queues this one copy.
        message = message with { Payload = message.Payload.ToArray() };
        lock (order)
        {
            foreach (var session in hub.All)
            {
                if (session != except && !session.Closing && !session.TryEnqueue(message))
                {
                    session.CloseSlowConsumer();
                }
            }
        }
    }
}
