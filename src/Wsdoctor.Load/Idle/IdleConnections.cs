using System.Net.WebSockets;

namespace Wsdoctor.Load.Idle;

/// <summary>Connections held open and silent. Each has one pending receive, so a connection the server closes
/// (or writes to) while it should be idle is noticed and no longer counted as established. Disposing closes
/// them all with a close handshake, a bounded number at a time.</summary>
public sealed class IdleConnections : IAsyncDisposable
{
    private const int CloseConcurrency = 64;

    // The pending receives only detect that something arrived; what arrived is not looked at, so they share one buffer.
    private readonly byte[] discard = new byte[256];
    private readonly WebSocket[] sockets;
    private readonly Task[] watchers;
    private readonly LoadErrors errors;
    private readonly IdleLoadOptions options;
    private int lost;
    private volatile bool closing;

    internal IdleConnections(WebSocket?[] opened, LoadErrors errors, IdleLoadOptions options)
    {
        this.errors = errors;
        this.options = options;
        Requested = opened.Length;
        sockets = [.. opened.OfType<WebSocket>()];
        watchers = new Task[sockets.Length];
        for (var i = 0; i < sockets.Length; i++)
        {
            watchers[i] = WatchAsync(sockets[i], i);
        }
    }

    public int Requested { get; }

    public int Opened => sockets.Length;

    /// <summary>Opened and not closed or written to by the server since.</summary>
    public int Established => sockets.Length - Volatile.Read(ref lost);

    public long Errors => errors.Count;

    public IReadOnlyList<string> ErrorSamples => errors.Samples;

    /// <summary>Connections that completed the close handshake when disposed.</summary>
    public int ClosedCleanly { get; private set; }

    public async ValueTask DisposeAsync()
    {
        closing = true;
        var next = -1;
        var clean = 0;
        var workers = new Task[Math.Min(CloseConcurrency, Math.Max(1, sockets.Length))];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < sockets.Length; i = Interlocked.Increment(ref next))
                {
                    if (await CloseOneAsync(i).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref clean);
                    }
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        ClosedCleanly = clean;
    }

    private async Task<bool> CloseOneAsync(int index)
    {
        var socket = sockets[index];
        using var cts = new CancellationTokenSource(options.CloseTimeout);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                // The pending receive in WatchAsync gets the server's close frame and ends the handshake.
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "idle run finished", cts.Token).ConfigureAwait(false);
                await watchers[index].WaitAsync(cts.Token).ConfigureAwait(false);
            }

            return socket.State == WebSocketState.Closed;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    private async Task WatchAsync(WebSocket socket, int index)
    {
        try
        {
            var result = await socket.ReceiveAsync(discard.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            if (closing && result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            Interlocked.Increment(ref lost);
            errors.Add(result.MessageType == WebSocketMessageType.Close
                ? $"idle connection {index}: server closed it ({(int?)socket.CloseStatus} {socket.CloseStatusDescription})"
                : $"idle connection {index}: server sent a {result.MessageType} message unasked");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            if (!closing)
            {
                Interlocked.Increment(ref lost);
                errors.Add($"idle connection {index}: {ex.Message}");
            }
        }
    }
}
