using System.Diagnostics;
using Wsdoctor.Server.Observability;

namespace Wsdoctor.Server.Sessions;

/// <summary>One accepted WebSocket, as the modes, the hub and shutdown see it. Two engines implement it: the
/// <see cref="PipeSession"/> (serve's own frame loop over Kestrel's connection pipes, every connection without
/// permessage-deflate) and the <see cref="FrameworkSession"/> (System.Net.WebSockets, for permessage-deflate).
/// Every close path ends in exactly one <see cref="CloseDecision"/>.</summary>
public abstract class Session
{
    private readonly long started = Stopwatch.GetTimestamp();
    private CloseDecision? decision;
    private long inMessages;
    private long inBytes;
    private long outMessages;
    private long outBytes;

    private protected Session(long id, SessionLimits limits, ServerMetrics metrics)
    {
        Id = id;
        Limits = limits;
        Metrics = metrics;
    }

    public long Id { get; }

    public CloseDecision? Decision => Volatile.Read(ref decision);

    public bool Closing => Decision is not null;

    public TimeSpan Duration => Stopwatch.GetElapsedTime(started);

    public (long InMessages, long InBytes, long OutMessages, long OutBytes) Counters =>
        (Interlocked.Read(ref inMessages), Interlocked.Read(ref inBytes), Interlocked.Read(ref outMessages), Interlocked.Read(ref outBytes));

    /// <summary>True when the heartbeat found the peer dead (no pong in time).</summary>
    public bool Reaped { get; private protected set; }

    private protected SessionLimits Limits { get; }

    private protected ServerMetrics Metrics { get; }

    /// <summary>Queues without waiting (fan-out modes); the session keeps the payload, so it must not change
    /// afterwards. False when the queue is full or the session closes.</summary>
    public abstract bool TryEnqueue(Outgoing message);

    /// <summary>Sends, waiting for room (echo: the sender only slows itself down). The payload is only read during
    /// the call. False once the session closes.</summary>
    public abstract ValueTask<bool> EnqueueAsync(Outgoing message, CancellationToken ct);

    /// <summary>Sends the close frame after what is already queued, then waits (bounded) for the peer's close.
    /// Only the first decision counts; true when it was this one.</summary>
    public bool BeginClose(int code, string reason, string by)
    {
        if (!TryDecide(new CloseDecision(code, reason, by)))
        {
            return false;
        }

        OnCloseDecided();
        return true;
    }

    /// <summary>A consumer too slow for its queue: nothing more is sent; the socket is cut because its pending
    /// send may never finish (the peer stopped reading), which would also hold back a close frame.</summary>
    public void CloseSlowConsumer()
    {
        // A session already closing refuses new messages too; that is not slowness, and its close goes on.
        if (BeginClose(1008, "send queue full", CloseDecision.ByServer))
        {
            Cut();
        }
    }

    /// <summary>Runs until the connection is closed or aborted; the decision says how. The payload a sink is given
    /// is only valid during its call: a sink that keeps it copies it.</summary>
    public abstract Task<CloseDecision> RunAsync(IMessageSink sink, Func<Outgoing, string?>? firstMessageAuth, CancellationToken ct);

    /// <summary>Records the decision unless one exists (without sending anything); true when it was this one.</summary>
    private protected bool TryDecide(CloseDecision value) => Interlocked.CompareExchange(ref decision, value, null) is null;

    /// <summary>Called once, by the first <see cref="BeginClose"/>: queue the close frame, bound the closing.</summary>
    private protected abstract void OnCloseDecided();

    /// <summary>Ends the connection now, whatever is pending.</summary>
    private protected abstract void Cut();

    private protected void CountIn(int bytes)
    {
        Interlocked.Increment(ref inMessages);
        Interlocked.Add(ref inBytes, bytes);
        Metrics.Received(bytes);
    }

    private protected void CountOut(int bytes)
    {
        Interlocked.Increment(ref outMessages);
        Interlocked.Add(ref outBytes, bytes);
        Metrics.Sent(bytes);
    }

    /// <summary>The code a close frame carries for a decision: 1005 must never be sent (RFC 6455 7.4.1), so a close
    /// frame without a code is answered with 1000.</summary>
    private protected static int WireCode(CloseDecision close) => close.Code == 1005 ? 1000 : close.Code;

    // A close frame's payload is at most 125 bytes: 2 for the code, 123 for the UTF-8 reason (RFC 6455 5.5).
    private protected static string Truncate(string reason)
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
