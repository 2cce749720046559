using System.Net.WebSockets;

namespace Wsdoctor.Load.Connections;

/// <summary>Opens many connections with at most <c>concurrency</c> handshakes in flight, so a server's accept
/// backlog (and its log) is not flooded by thousands of simultaneous SYNs.</summary>
internal static class ConnectionOpener
{
    /// <summary>One slot per requested connection: the socket, or null when it failed or was not tried before
    /// <paramref name="ct"/> fired (the reason is in <paramref name="errors"/>). Never throws for the network.</summary>
    public static Task<WebSocket?[]> OpenAsync(
        LoadTarget target, int count, int concurrency, TimeSpan timeout, LoadErrors errors, CancellationToken ct) =>
        OpenAsync(count, concurrency, token => WebSocketDialer.ConnectAsync(target, timeout, token), errors, ct);

    /// <summary>The same with any dialer (the raw TCP reference opens plain sockets); <paramref name="dial"/>
    /// reports failures as <see cref="DialException"/>.</summary>
    public static async Task<T?[]> OpenAsync<T>(
        int count, int concurrency, Func<CancellationToken, Task<T>> dial, LoadErrors errors, CancellationToken ct)
        where T : class
    {
        var sockets = new T?[count];
        var next = -1;
        var dialFailures = 0;
        var workers = new Task[Math.Min(concurrency, count)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(
                async () =>
                {
                    // Each worker takes the next free slot; the loop ends after at most `count` slots in total.
                    for (var i = Interlocked.Increment(ref next); i < count && !ct.IsCancellationRequested; i = Interlocked.Increment(ref next))
                    {
                        try
                        {
                            sockets[i] = await dial(ct).ConfigureAwait(false);
                        }
                        catch (DialException ex)
                        {
                            Interlocked.Increment(ref dialFailures);
                            errors.Add($"connect: {ex.Message}");
                        }
                        catch (OperationCanceledException) when (ct.IsCancellationRequested)
                        {
                            return;
                        }
                    }
                },
                CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var missing = 0;
        foreach (var socket in sockets)
        {
            missing += socket is null ? 1 : 0;
        }

        // Slots neither opened nor failed were cut off by the deadline (or the caller's cancellation).
        for (var i = dialFailures; i < missing; i++)
        {
            errors.Add("connect: not opened before the run's deadline");
        }

        return sockets;
    }
}
