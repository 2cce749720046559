using System.Net.WebSockets;

namespace Wsdoctor.Server.Sessions;

public sealed partial class Session
{
    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var message in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await socket.SendAsync(message.Payload, message.Type, endOfMessage: true, ct).ConfigureAwait(false);
                Interlocked.Increment(ref outMessages);
                Interlocked.Add(ref outBytes, message.Payload.Length);
                metrics.Sent(message.Payload.Length);
            }

            if (Decision is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived && close.Code != CloseDecision.Abnormal)
            {
                // 1005 must never be sent (RFC 6455 7.4.1): a close frame without a code is answered with 1000.
                var code = close.Code == 1005 ? WebSocketCloseStatus.NormalClosure : close.Status;
                await socket.CloseOutputAsync(code, Truncate(close.Reason), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away or the session was cut; the receive side records why.
            abort.Cancel();
        }
    }

    // A close frame's payload is at most 125 bytes: 2 for the code, 123 for the UTF-8 reason (RFC 6455 5.5).
    private static string Truncate(string reason)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(reason) <= 123)
        {
            return reason;
        }

        var cut = reason;
        while (System.Text.Encoding.UTF8.GetByteCount(cut) > 123)
        {
            cut = cut[..^1];
        }

        return cut;
    }
}
