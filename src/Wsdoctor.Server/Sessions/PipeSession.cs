using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using Wsdoctor.Server.Observability;

namespace Wsdoctor.Server.Sessions;

/// <summary>serve's own RFC 6455 engine over the connection's pipes (every connection without permessage-deflate).
/// The receive loop (<c>PipeSession.Receive.cs</c>) parses frames straight from Kestrel's input buffers and echoes
/// by writing into the output pipe itself, flushing once per read, so an echo costs no hand-off, no task and no
/// allocation. Whatever else is sent — fan-out messages, pings, the close frame — goes through a queue that is only
/// created and drained when something is in it, so an idle connection holds no buffer, no queue and no task.</summary>
public sealed partial class PipeSession : Session
{
    /// <summary>Unflushed echo bytes after which the receive loop flushes before parsing on.</summary>
    private const int FlushThreshold = 64 * 1024;

    private readonly PipeReader input;
    private readonly PipeWriter output;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly CancellationTokenSource abort = new();

    // Sends other than the receive loop's own; created on first use.
    private ConcurrentQueue<Queued>? queue;
    private int queued;
    private int queuedData;

    // Under writeGate.
    private bool closeSent;
    private bool finished;
    private int unflushed;

    private TaskCompletionSource? closeWritten;

    // Heartbeat (Heartbeat.cs): timestamps of the last ping sent and of the one still unanswered (0: none).
    private long lastPing;
    private long unansweredPing;

    internal PipeSession(long id, IDuplexPipe transport, SessionLimits limits, ServerMetrics metrics)
        : base(id, limits, metrics)
    {
        input = transport.Input;
        output = transport.Output;
        lastPing = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private enum Kind : byte
    {
        Data,
        Ping,
        Close,
    }

    public override bool TryEnqueue(Outgoing message)
    {
        if (Closing)
        {
            return false;
        }

        if (Interlocked.Increment(ref queuedData) > Limits.SendQueue)
        {
            Interlocked.Decrement(ref queuedData);
            return false;
        }

        Schedule(new Queued(message, Kind.Data));
        return true;
    }

    /// <summary>Echo, from this session's own receive loop: written at once, flushed before the next read.</summary>
    public override async ValueTask<bool> EnqueueAsync(Outgoing message, CancellationToken ct)
    {
        await writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (closeSent || finished || Closing)
            {
                return false;
            }

            WriteFrame((byte)(message.Type == System.Net.WebSockets.WebSocketMessageType.Text ? 0x1 : 0x2), message.Payload.Span);
            CountOut(message.Payload.Length);
            if (unflushed >= FlushThreshold)
            {
                return await FlushLockedAsync().ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            writeGate.Release();
        }
    }

    private protected override void OnCloseDecided()
    {
        Interlocked.CompareExchange(ref closeWritten, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

        // Bounds the whole closing: a peer that never answers our close frame, or never reads, is cut off.
        abort.CancelAfter(Limits.CloseTimeout);
        Schedule(new Queued(default, Kind.Close));
    }

    private protected override void Cut()
    {
        // Safe after the session ended: the source is never disposed, since a timer may still fire on it.
        abort.Cancel();
    }

    /// <summary>Called by the heartbeat: the peer missed a pong, so it is gone without a close frame.</summary>
    internal void Reap()
    {
        if (TryDecide(new CloseDecision(CloseDecision.Abnormal, "ping timeout", CloseDecision.ByServer)))
        {
            Reaped = true;
            Cut();
        }
    }

    /// <summary>Called by the heartbeat on every tick.</summary>
    internal void Beat(long now, long intervalTicks, long timeoutTicks)
    {
        if (Closing)
        {
            return;
        }

        var waiting = Volatile.Read(ref unansweredPing);
        if (waiting != 0)
        {
            if (now - waiting >= timeoutTicks)
            {
                Reap();
            }

            return;
        }

        if (now - Volatile.Read(ref lastPing) >= intervalTicks)
        {
            Volatile.Write(ref lastPing, now);
            Volatile.Write(ref unansweredPing, now);
            Schedule(new Queued(default, Kind.Ping));
        }
    }

    private void PongReceived() => Volatile.Write(ref unansweredPing, 0);

    private void Schedule(Queued item)
    {
        var items = queue ?? Interlocked.CompareExchange(ref queue, new ConcurrentQueue<Queued>(), null) ?? queue!;
        var count = Interlocked.Increment(ref queued);
        items.Enqueue(item);
        if (count == 1)
        {
            // Exactly one drain runs while anything is queued; it starts here and ends when the queue is empty.
            ThreadPool.UnsafeQueueUserWorkItem(static session => _ = session.DrainAsync(), this, preferLocal: false);
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            // Bounded: each pass takes at least the items counted when it started, or the session is cut.
            while (true)
            {
                var taken = 0;
                await writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    while (queue!.TryDequeue(out var item))
                    {
                        taken++;
                        WriteQueued(item);
                    }

                    if (!await FlushLockedAsync().ConfigureAwait(false))
                    {
                        Cut();
                        return;
                    }

                    if (closeSent)
                    {
                        closeWritten?.TrySetResult();
                    }
                }
                finally
                {
                    writeGate.Release();
                }

                if (Interlocked.Add(ref queued, -taken) == 0)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; the receive side records why.
            Cut();
        }
    }

    /// <summary>Under the write gate.</summary>
    private void WriteQueued(Queued item)
    {
        if (item.Kind == Kind.Data)
        {
            Interlocked.Decrement(ref queuedData);
        }

        if (closeSent || finished)
        {
            // RFC 6455 5.5.1: nothing after our close frame.
            return;
        }

        switch (item.Kind)
        {
            case Kind.Data:
                WriteFrame((byte)(item.Message.Type == System.Net.WebSockets.WebSocketMessageType.Text ? 0x1 : 0x2), item.Message.Payload.Span);
                CountOut(item.Message.Payload.Length);
                break;
            case Kind.Ping:
                WriteFrame(0x9, []);
                break;
            case Kind.Close:
                WriteClose();
                break;
        }
    }

    /// <summary>Under the write gate: the close frame of the decision (none for 1006, which is never sent).</summary>
    private void WriteClose()
    {
        closeSent = true;
        if (Decision is not { } close || close.Code == CloseDecision.Abnormal)
        {
            return;
        }

        var reason = Truncate(close.Reason);
        Span<byte> payload = stackalloc byte[125];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)WireCode(close));
        var length = 2 + Encoding.UTF8.GetBytes(reason, payload[2..]);
        WriteFrame(0x8, payload[..length]);
    }

    /// <summary>Under the write gate: one unmasked, unfragmented frame into the output pipe (not flushed).</summary>
    private void WriteFrame(byte opcode, ReadOnlySpan<byte> payload)
    {
        var header = output.GetSpan(10);
        header[0] = (byte)(0x80 | opcode);
        int size;
        if (payload.Length < 126)
        {
            header[1] = (byte)payload.Length;
            size = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)payload.Length);
            size = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)payload.Length);
            size = 10;
        }

        output.Advance(size);
        if (!payload.IsEmpty)
        {
            output.Write(payload);
        }

        unflushed += size + payload.Length;
    }

    /// <summary>Under the write gate. False when the connection is gone or the session was cut.</summary>
    private async ValueTask<bool> FlushLockedAsync()
    {
        if (unflushed == 0)
        {
            return true;
        }

        unflushed = 0;
        var result = await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return !result.IsCanceled && !result.IsCompleted;
    }

    /// <summary>The receive loop's flush before it reads again.</summary>
    private async ValueTask<bool> FlushAsync()
    {
        await writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            return finished || await FlushLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Writes a frame of the receive loop's own (a pong, or the close reply) at once.</summary>
    private async ValueTask WriteControlAsync(byte opcode, ReadOnlyMemory<byte> payload)
    {
        await writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!closeSent && !finished)
            {
                WriteFrame(opcode, payload.Span);
            }
        }
        finally
        {
            writeGate.Release();
        }
    }

    private readonly record struct Queued(Outgoing Message, Kind Kind);
}
