using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Wsdoctor.Server.Observability;

namespace Wsdoctor.Server.Sessions;

/// <summary>One accepted WebSocket: a receive loop (<c>Session.Receive.cs</c>) that reassembles messages and
/// hands them to the mode, and a writer (<c>Session.Send.cs</c>) that drains a bounded queue, so no sender ever
/// waits on another client's socket. Every close path ends in exactly one <see cref="CloseDecision"/>.</summary>
public sealed partial class Session
{
    private readonly WebSocket socket;
    private readonly SessionLimits limits;
    private readonly ServerMetrics metrics;
    private readonly Channel<Outgoing> queue;
    private readonly CancellationTokenSource abort = new();
    private readonly long started = Stopwatch.GetTimestamp();
    private CloseDecision? decision;
    private long inMessages;
    private long inBytes;
    private long outMessages;
    private long outBytes;

    public Session(long id, WebSocket socket, SessionLimits limits, ServerMetrics metrics)
    {
        this.metrics = metrics;
        Id = id;
        this.socket = socket;
        this.limits = limits;
        queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(limits.SendQueue)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long Id { get; }

    public CloseDecision? Decision => Volatile.Read(ref decision);

    public bool Closing => Decision is not null;

    public TimeSpan Duration => Stopwatch.GetElapsedTime(started);

    public (long InMessages, long InBytes, long OutMessages, long OutBytes) Counters =>
        (Interlocked.Read(ref inMessages), Interlocked.Read(ref inBytes), Interlocked.Read(ref outMessages), Interlocked.Read(ref outBytes));

    /// <summary>Queues without waiting (fan-out modes). False when the queue is full or the session closes.</summary>
    public bool TryEnqueue(Outgoing message) => queue.Writer.TryWrite(message);

    /// <summary>Queues, waiting for room (echo: the sender only slows itself down). False once the session closes.</summary>
    public async ValueTask<bool> EnqueueAsync(Outgoing message, CancellationToken ct)
    {
        while (await queue.Writer.WaitToWriteAsync(ct).ConfigureAwait(false))
        {
            if (queue.Writer.TryWrite(message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sends the close frame after what is already queued, then waits (bounded) for the peer's close.
    /// Only the first decision counts; true when it was this one.</summary>
    public bool BeginClose(int code, string reason, string by)
    {
        if (Interlocked.CompareExchange(ref decision, new CloseDecision(code, reason, by), null) is not null)
        {
            return false;
        }

        queue.Writer.TryComplete();

        // Bounds the whole closing: a peer that never answers our close frame, or never reads, is cut off.
        abort.CancelAfter(limits.CloseTimeout);
        return true;
    }

    /// <summary>A consumer too slow for its queue: nothing more is sent; the socket is cut because its pending
    /// send may never finish (the peer stopped reading), which would also hold back a close frame.</summary>
    public void CloseSlowConsumer()
    {
        // A session already closing refuses new messages too; that is not slowness, and its close goes on.
        if (BeginClose(1008, "send queue full", CloseDecision.ByServer))
        {
            abort.Cancel();
        }
    }

    /// <summary>Runs until the connection is closed or aborted; the decision says how.</summary>
    public async Task<CloseDecision> RunAsync(IMessageSink sink, Func<Outgoing, string?>? firstMessageAuth, CancellationToken ct)
    {
        using var link = ct.Register(() => abort.Cancel());
        var writer = Task.Run(() => SendLoopAsync(abort.Token), CancellationToken.None);
        try
        {
            await ReceiveLoopAsync(sink, firstMessageAuth, abort.Token).ConfigureAwait(false);
        }
        finally
        {
            queue.Writer.TryComplete();

            // Unless a close handshake is under way, the writer may be blocked on a send that never finishes.
            if (socket.State is not (WebSocketState.CloseReceived or WebSocketState.Closed))
            {
                abort.Cancel();
            }

            await writer.ConfigureAwait(false);
        }

        return Decision ?? new CloseDecision(CloseDecision.Abnormal, "connection lost", CloseDecision.ByClient);
    }
}
