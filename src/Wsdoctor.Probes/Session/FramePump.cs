using System.Net.Sockets;
using System.Threading.Channels;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Probes.Session;

/// <summary>Reads the server's frames in one background loop and hands out decoded events. Waiting for an event with a
/// timeout never cancels a read in the middle of a TLS record; the loop ends at end of stream, on a protocol
/// violation, or when disposed.</summary>
internal sealed class FramePump : IAsyncDisposable
{
    private readonly Stream stream;
    private readonly Channel<FrameEvent?> events = Channel.CreateUnbounded<FrameEvent?>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public FramePump(Stream stream, byte[] alreadyReceived)
    {
        this.stream = stream;
        loop = Task.Run(() => RunAsync(alreadyReceived));
    }

    public long BytesReceived { get; private set; }

    /// <summary>Why the stream ended, when it ended with an error rather than a clean end of stream.</summary>
    public string? EndError { get; private set; }

    /// <summary>The next event; null means the TCP connection ended. Throws OperationCanceledException on timeout.</summary>
    public ValueTask<FrameEvent?> NextAsync(CancellationToken ct) => events.Reader.ReadAsync(ct);

    public async Task SendAsync(byte[] frame, CancellationToken ct)
    {
        await stream.WriteAsync(frame, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    private async Task RunAsync(byte[] alreadyReceived)
    {
        var reader = new FrameReader(new FrameReaderOptions());
        var decoded = new List<FrameEvent>();
        var buffer = new byte[64 * 1024];
        try
        {
            Feed(reader, alreadyReceived, decoded);
            while (!reader.IsFaulted)
            {
                var n = await stream.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                Feed(reader, buffer.AsSpan(0, n), decoded);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            EndError = ex is OperationCanceledException ? null : Net.ExceptionText.Chain(ex);
        }
        finally
        {
            events.Writer.TryWrite(null);
            events.Writer.TryComplete();
        }
    }

    private void Feed(FrameReader reader, ReadOnlySpan<byte> data, List<FrameEvent> decoded)
    {
        BytesReceived += data.Length;
        decoded.Clear();
        reader.Consume(data, decoded);
        foreach (var e in decoded)
        {
            events.Writer.TryWrite(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is what we asked for.
        }

        stop.Dispose();
    }
}
