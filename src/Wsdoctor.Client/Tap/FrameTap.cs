using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Client.Tap;

/// <summary>Sits between <see cref="System.Net.WebSockets.WebSocket"/> and the transport and parses the frames going
/// both ways, because the WebSocket API hides control frames: pongs it sends for the server's pings, and pings
/// and pongs it receives, are invisible otherwise (-P needs them, and RTT needs the pong to our own ping).
/// Writes are serialised so that <see cref="SendControlAsync"/> can slip a frame of ours between two of the
/// WebSocket's frames. That relies on ManagedWebSocket writing each frame with a single WriteAsync (its send
/// buffer holds header and payload together); FrameTapTests checks that assumption against the runtime.</summary>
public sealed class FrameTap : Stream
{
    private readonly Stream _inner;
    private readonly FrameReader _inbound;
    private readonly FrameReader _outbound;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<FrameEvent> _scratchIn = [];
    private readonly List<FrameEvent> _scratchOut = [];

    /// <param name="onFrame">Called for every ping, pong, close and violation, in stream order per direction.
    /// It runs on the reading or writing task, so it must only record or enqueue.</param>
    public FrameTap(Stream inner, bool perMessageDeflate, Action<TapDirection, FrameEvent> onFrame)
    {
        _inner = inner;
        OnFrame = onFrame;
        // Data messages are delivered by the WebSocket itself; the tap keeps parsing them only to stay in step,
        // so it must not refuse a size the WebSocket accepts.
        _inbound = new FrameReader(new FrameReaderOptions { PerMessageDeflate = perMessageDeflate, MaxMessageBytes = Array.MaxLength });
        _outbound = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true, PerMessageDeflate = perMessageDeflate, MaxMessageBytes = Array.MaxLength });
    }

    public Action<TapDirection, FrameEvent> OnFrame { get; set; }

    /// <summary>Count of WriteAsync calls that did not start at a frame boundary; stays 0 while the
    /// one-write-per-frame assumption holds.</summary>
    public long UnalignedWrites { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Sends a masked control frame (ping, pong) of our own between the WebSocket's frames.</summary>
    public async Task SendControlAsync(Opcode opcode, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var frame = FrameWriter.Build(opcode, payload.Span, mask: true);
        await WriteAsync(frame, ct).ConfigureAwait(false);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(_inbound, _scratchIn, buffer.Span[..n], TapDirection.In);
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!FrameBoundaries.IsWholeFrames(buffer.Span))
            {
                UnalignedWrites++;
            }

            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            Observe(_outbound, _scratchOut, buffer.Span, TapDirection.Out);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Observe(FrameReader reader, List<FrameEvent> scratch, ReadOnlySpan<byte> bytes, TapDirection direction)
    {
        if (reader.IsFaulted || bytes.IsEmpty)
        {
            return;
        }

        scratch.Clear();
        reader.Consume(bytes, scratch);

        foreach (var e in scratch)
        {
            if (e is not MessageReceived)
            {
                OnFrame(direction, e);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _writeLock.Dispose();
        }

        base.Dispose(disposing);
    }
}
