using System.Net.WebSockets;

namespace Wsdoctor.Server.Sessions;

public sealed partial class FrameworkSession
{
    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var message in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await socket.SendAsync(message.Payload, message.Type, endOfMessage: true, ct).ConfigureAwait(false);
                CountOut(message.Payload.Length);
            }

            if (Decision is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived && close.Code != CloseDecision.Abnormal)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)WireCode(close), Truncate(close.Reason), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away or the session was cut; the receive side records why.
            abort.Cancel();
        }
    }
}
