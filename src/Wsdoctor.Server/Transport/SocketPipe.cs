using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Wsdoctor.Server.Transport;

/// <summary>A connection's socket as the two pipes a <see cref="Sessions.PipeSession"/> reads and writes, with as
/// little as an idle connection can keep: no buffer (one is rented when bytes arrive and returned once they are
/// consumed), no task of its own and no send machinery until a send would block. The socket is non-blocking: reads
/// and writes are tried synchronously first, and only a read with nothing to read waits, with a zero-byte receive
/// (readiness, no buffer); only a write the kernel cannot take at once continues asynchronously.</summary>
/// <remarks>Built for <see cref="Sessions.PipeSession"/>, which reads one sequence at a time and examines all of it,
/// and cancels a pending read or flush only to cut the connection: <see cref="CancelPendingRead"/> and
/// <see cref="Writer.CancelPendingFlush"/> shut the socket down in both directions (which wakes whatever is
/// pending) and the pending call returns as cancelled. Socket errors end the pipes the way Kestrel's do: a read
/// completes, a flush reports the reader gone.</remarks>
internal sealed class SocketPipe : PipeReader, IDuplexPipe
{
    /// <summary>The smallest buffer rented for a read or for a write.</summary>
    private const int BlockSize = 4096;

    private readonly Socket socket;
    private readonly Writer writer;

    // Received bytes not consumed yet: buffer[start..end].
    private byte[]? buffer;
    private int start;
    private int end;

    // Set when the last read returned bytes the reader has not examined yet.
    private bool unexamined;

    // The last receive left nothing in the socket, as far as anyone can tell: the next read waits first.
    private bool drained = true;
    private bool ended;
    private int aborted;

    public SocketPipe(Socket socket)
    {
        this.socket = socket;
        socket.Blocking = false;
        writer = new Writer(this);
    }

    public PipeReader Input => this;

    public PipeWriter Output => writer;

    private ReadOnlySequence<byte> Buffered => buffer is null ? ReadOnlySequence<byte>.Empty : new(buffer, start, end - start);

    private bool Aborted => Volatile.Read(ref aborted) != 0;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (TryRead(out var result) || (!drained && TryReceive(out result)))
        {
            return new(result);
        }

        return WaitAndReadAsync(cancellationToken);
    }

    /// <summary>What is there without a system call: bytes not examined yet, the end, or the cut.</summary>
    public override bool TryRead(out ReadResult result)
    {
        if (Aborted)
        {
            result = new ReadResult(Buffered, isCanceled: true, isCompleted: false);
            return true;
        }

        result = new ReadResult(Buffered, isCanceled: false, isCompleted: ended);
        return unexamined || ended;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (buffer is null)
        {
            return;
        }

        if (!ReferenceEquals(consumed.GetObject(), buffer) || !ReferenceEquals(examined.GetObject(), buffer)
            || consumed.GetInteger() is var from && (from < start || from > end)
            || examined.GetInteger() is var seen && (seen < from || seen > end))
        {
            throw new InvalidOperationException("AdvanceTo with a position outside the last read's buffer");
        }

        start = from;
        unexamined = seen < end;

        // Everything consumed: an idle connection holds no buffer.
        ReleaseIfEmpty();
    }

    /// <summary>Cuts the connection (see the remarks): the pending or next read returns as cancelled.</summary>
    public override void CancelPendingRead() => Abort();

    public override void Complete(Exception? exception = null)
    {
        start = end;
        ReleaseIfEmpty();
    }

    private void ReleaseIfEmpty()
    {
        if (start == end && buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
            start = end = 0;
        }
    }

    private void Abort()
    {
        if (Interlocked.Exchange(ref aborted, 1) != 0)
        {
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected any more, or closed: nothing is pending on it then either.
        }
    }

    // Pooled: with many connections nearly every read waits, and each wait would otherwise allocate its state machine.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> WaitAndReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Readiness without a buffer: the zero-byte receive completes when bytes (or the end) arrive.
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Reset, or shut down by Abort.
            ended = true;
        }

        if (TryRead(out var result) && (ended || Aborted))
        {
            return result;
        }

        // A wake-up with nothing to read returns what was there before: the caller examines it again and reads on.
        return TryReceive(out result) ? result : new ReadResult(Buffered, isCanceled: false, isCompleted: false);
    }

    /// <summary>One non-blocking receive into the buffer; false when the socket had nothing.</summary>
    private bool TryReceive(out ReadResult result)
    {
        var space = Space();
        var received = socket.Receive(space, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            drained = true;
            ReleaseIfEmpty();

            result = default;
            return false;
        }

        if (error != SocketError.Success || received == 0)
        {
            ended = true;
        }
        else
        {
            end += received;
            unexamined = true;
            drained = received < space.Length;
        }

        result = new ReadResult(Buffered, isCanceled: Aborted, isCompleted: ended);
        return true;
    }

    /// <summary>Free room after the unconsumed bytes: a rented block, compacted or doubled when it is full.</summary>
    private Span<byte> Space()
    {
        if (buffer is null)
        {
            buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
            start = end = 0;
        }
        else if (end == buffer.Length)
        {
            var kept = end - start;
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, kept);
            }
            else
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                Buffer.BlockCopy(buffer, 0, larger, 0, kept);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            start = 0;
            end = kept;
        }

        return buffer.AsSpan(end);
    }

    /// <summary>The output: frames are written into a rented buffer and sent on flush, synchronously when the kernel
    /// takes them (nearly always); the buffer is returned after each flush.</summary>
    internal sealed class Writer(SocketPipe pipe) : PipeWriter
    {
        /// <summary>Past this size a write starts a new block instead of copying into a larger one.</summary>
        private const int MaxBlock = 256 * 1024;

        private byte[]? current;
        private int written;

        // Blocks filled before current (only for writes larger than MaxBlock).
        private List<(byte[] Array, int Count)>? full;

        public override void Advance(int bytes)
        {
            if (bytes == 0)
            {
                return;
            }

            if (bytes < 0 || current is null || written + bytes > current.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(bytes));
            }

            written += bytes;
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(written);

        public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(written);

        public override void CancelPendingFlush() => pipe.Abort();

        public override void Complete(Exception? exception = null) => Release();

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (pipe.Aborted)
            {
                Release();
                return new(new FlushResult(isCanceled: true, isCompleted: false));
            }

            for (var index = 0; Block(index) is var (array, count) && array is not null; index++)
            {
                for (var offset = 0; offset < count;)
                {
                    var sent = pipe.socket.Send(array.AsSpan(offset, count - offset), SocketFlags.None, out var error);
                    if (error == SocketError.WouldBlock)
                    {
                        return FlushSlowlyAsync(index, offset, cancellationToken);
                    }

                    if (error != SocketError.Success)
                    {
                        Release();
                        return new(new FlushResult(isCanceled: false, isCompleted: true));
                    }

                    offset += sent;
                }
            }

            Release();
            return new(new FlushResult(isCanceled: false, isCompleted: false));
        }

        /// <summary>The rest of a flush the kernel could not take at once (a slow or stalled reader).</summary>
        private async ValueTask<FlushResult> FlushSlowlyAsync(int index, int offset, CancellationToken cancellationToken)
        {
            try
            {
                for (; Block(index) is var (array, count) && array is not null; index++, offset = 0)
                {
                    while (offset < count)
                    {
                        offset += await pipe.socket.SendAsync(array.AsMemory(offset, count - offset), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                    }
                }

                return new FlushResult(isCanceled: false, isCompleted: false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return new FlushResult(isCanceled: pipe.Aborted, isCompleted: !pipe.Aborted);
            }
            finally
            {
                Release();
            }
        }

        private (byte[]? Array, int Count) Block(int index)
        {
            var filled = full?.Count ?? 0;
            return index < filled ? full![index] : index == filled && written > 0 ? (current, written) : (null, 0);
        }

        private byte[] Reserve(int sizeHint)
        {
            var need = Math.Max(sizeHint, 1);
            if (current is not null && current.Length - written >= need)
            {
                return current;
            }

            if (current is null)
            {
                current = ArrayPool<byte>.Shared.Rent(Math.Max(need, BlockSize));
                written = 0;
            }
            else if (written + need <= MaxBlock)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(current.Length * 2, written + need));
                Buffer.BlockCopy(current, 0, larger, 0, written);
                ArrayPool<byte>.Shared.Return(current);
                current = larger;
            }
            else
            {
                (full ??= []).Add((current, written));
                current = ArrayPool<byte>.Shared.Rent(Math.Max(need, MaxBlock));
                written = 0;
            }

            return current;
        }

        private void Release()
        {
            if (full is not null)
            {
                foreach (var (array, _) in full)
                {
                    ArrayPool<byte>.Shared.Return(array);
                }

                full = null;
            }

            if (current is not null)
            {
                ArrayPool<byte>.Shared.Return(current);
                current = null;
                written = 0;
            }
        }
    }
}
