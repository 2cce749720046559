namespace Wsdoctor.Probes.Net;

/// <summary>Passes reads and writes through and keeps the first bytes the peer sent. The TLS layer needs them:
/// SslStream only says "handshake failed", while the bytes say whether a plain HTTP server answered
/// ("HTTP/1.1 400"), which TLS alert came back, or nothing at all.</summary>
internal sealed class RecordingStream(Stream inner, int capacity = 4096) : Stream
{
    private readonly byte[] recorded = new byte[capacity];

    public int RecordedCount { get; private set; }
    public long TotalRead { get; private set; }
    public bool SawEndOfStream { get; private set; }
    public ReadOnlySpan<byte> Recorded => recorded.AsSpan(0, RecordedCount);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Record(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Record(buffer.AsSpan(offset, n));
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Record(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            SawEndOfStream = true;
            return;
        }

        TotalRead += data.Length;
        var room = recorded.Length - RecordedCount;
        var take = Math.Min(room, data.Length);
        data[..take].CopyTo(recorded.AsSpan(RecordedCount));
        RecordedCount += take;
    }
}
