using System.Net.WebSockets;
using Wsdoctor.Load.Errors;

namespace Wsdoctor.Load.Runs;

/// <summary>One --hold connection: opened (paced like the others), then silent but for the runtime's heartbeat
/// Pings, with one pending receive so that a Close or a drop from the server is seen when it happens. At the end
/// it sends its Close and the pending receive takes the server's answer.</summary>
internal sealed class HeldConnection(RunState run)
{
    // What a held connection receives is only noticed, never read, so the buffer is tiny.
    private readonly byte[] discard = new byte[64];
    private LoadSocket? socket;
    private volatile bool closing;

    public bool Established { get; private set; }

    public bool Lost { get; private set; }

    /// <summary>Established and not lost before the run ended.</summary>
    public bool OpenAtEnd => Established && !Lost;

    public async Task RunAsync()
    {
        LoadSocket? opened;
        long due;
        try
        {
            due = await run.Pacer.WaitTurnAsync(run.Stopping.Token).ConfigureAwait(false);
            LoadError? error;
            try
            {
                (opened, error) = await run.Dialer.OpenAsync(hold: true, run.Abort.Token).ConfigureAwait(false);
            }
            finally
            {
                run.Pacer.Done();
            }

            if (opened is null)
            {
                run.Errors.Add(error!);
                return;
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            run.FirstAttemptDone();
        }

        socket = opened;
        Established = true;
        run.Opened(due, hold: true);
        var cleanly = false;
        try
        {
            // Bounded: each pass receives something; a server that streams to an idle connection is told apart
            // after a few messages, and the run's end closes the socket either way.
            for (var messages = 0; messages < 10_000; messages++)
            {
                var result = await opened.Socket.ReceiveAsync(discard.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (closing)
                    {
                        cleanly = true;
                    }
                    else
                    {
                        Lost = true;
                        run.Errors.Add(ErrorClassifier.ClosedByServer(opened.Socket, ErrorStage.Hold));
                    }

                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!closing)
            {
                Lost = true;
                run.Errors.Add(ErrorClassifier.FromSessionException(ex, ErrorStage.Hold));
            }
        }
        finally
        {
            run.Closed(hold: true, cleanly);
            await opened.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends our Close; the pending receive then ends with the server's.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        closing = true;
        if (socket is not { } held || held.Socket.State != WebSocketState.Open)
        {
            return;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await held.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench finished", cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            held.Socket.Abort();
        }
    }

    public void AbortNow()
    {
        closing = true;
        socket?.Socket.Abort();
    }
}
