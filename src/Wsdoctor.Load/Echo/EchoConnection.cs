using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Net.WebSockets;
using HdrHistogram;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Echo;

/// <summary>One connection of the closed loop: send, wait for the whole echo, verify it, repeat. Buffers are
/// allocated once; the loop itself allocates nothing. It never waits forever: the coordinator aborts it
/// when a step takes longer than the step timeout (<see cref="AbortIfStalled"/>), so no per-message timer is
/// needed. Over a plain <see cref="Socket"/> (the raw TCP reference) the same loop sends the payload bytes
/// alone and reads back exactly as many.</summary>
internal sealed class EchoConnection : IDisposable
{
    private readonly WebSocket? socket;
    private readonly Socket? raw;
    private readonly int id;
    private readonly int messageBytes;

    public EchoConnection(WebSocket socket, int id, int messageBytes)
        : this(id, messageBytes) => this.socket = socket;

    public EchoConnection(Socket raw, int id, int messageBytes)
        : this(id, messageBytes) => this.raw = raw;

    private EchoConnection(int id, int messageBytes)
    {
        this.id = id;
        this.messageBytes = messageBytes;
        sent = EchoPayload.Create(messageBytes, id);
        received = new byte[messageBytes + 1];
    }

    private readonly byte[] sent;

    // One byte more than sent: an echo that fills it is longer than the message, without reading on forever.
    private readonly byte[] received;
    private readonly CancellationTokenSource abort = new();
    private long lastProgress = Stopwatch.GetTimestamp();
    private string? stallReason;

    public LongHistogram Latency { get; } = Histograms.Create();

    public long MeasuredMessages { get; private set; }

    public long VerifiedEchoes { get; private set; }

    public async Task RunAsync(RunClock clock, long maxMessages, LoadErrors errors)
    {
        var token = abort.Token;
        try
        {
            for (long sequence = 0; sequence < maxMessages && clock.Phase != LoadPhase.Stopped; sequence++)
            {
                EchoPayload.Stamp(sent, sequence);
                var start = Stopwatch.GetTimestamp();
                Volatile.Write(ref lastProgress, start);
                int length;
                if (raw is not null)
                {
                    await SendRawAsync(raw, token).ConfigureAwait(false);
                    length = await ReceiveRawAsync(raw, sequence, errors, token).ConfigureAwait(false);
                }
                else
                {
                    await socket!.SendAsync(sent.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, token).ConfigureAwait(false);
                    length = await ReceiveEchoAsync(socket, sequence, errors, token).ConfigureAwait(false);
                }

                if (length < 0)
                {
                    return;
                }

                var end = Stopwatch.GetTimestamp();
                if (EchoPayload.Verify(sent, received.AsSpan(0, length), sequence) is { } mismatch)
                {
                    errors.Add($"connection {id}: {mismatch}");
                    AbortSocket();
                    return;
                }

                VerifiedEchoes++;
                if (clock.Phase == LoadPhase.Measuring)
                {
                    MeasuredMessages++;
                    Latency.RecordValue(Histograms.Clamp(RunClock.Nanoseconds(end - start)));
                }
            }

            Volatile.Write(ref lastProgress, Stopwatch.GetTimestamp());
            if (raw is not null)
            {
                raw.Shutdown(SocketShutdown.Both);
            }
            else
            {
                await socket!.CloseAsync(WebSocketCloseStatus.NormalClosure, "load run finished", token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            errors.Add($"connection {id}: {stallReason ?? "aborted"}");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or SocketException)
        {
            errors.Add($"connection {id}: {ex.Message}");
        }
    }

    /// <summary>Called by the coordinator a few times a second; the only timer of the run.</summary>
    public void AbortIfStalled(long now, TimeSpan stepTimeout, string reason)
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref lastProgress), now) > stepTimeout && !abort.IsCancellationRequested)
        {
            stallReason = reason;
            abort.Cancel();
        }
    }

    public void Abort(string reason)
    {
        stallReason ??= reason;
        abort.Cancel();
    }

    public void Dispose()
    {
        socket?.Dispose();
        raw?.Dispose();
        abort.Dispose();
    }

    private void AbortSocket()
    {
        socket?.Abort();
        raw?.Close(0);
    }

    private async ValueTask SendRawAsync(Socket s, CancellationToken token)
    {
        // Socket.SendAsync may send part of the buffer; each pass sends at least one byte.
        for (var offset = 0; offset < sent.Length;)
        {
            offset += await s.SendAsync(sent.AsMemory(offset), SocketFlags.None, token).ConfigureAwait(false);
        }
    }

    /// <summary>Exactly the bytes sent come back (TCP has no message boundaries); -1 after recording an early close.</summary>
    private async ValueTask<int> ReceiveRawAsync(Socket s, long sequence, LoadErrors errors, CancellationToken token)
    {
        var length = 0;
        // Each pass adds at least one byte or returns.
        while (length < messageBytes)
        {
            var read = await s.ReceiveAsync(received.AsMemory(length, messageBytes - length), SocketFlags.None, token).ConfigureAwait(false);
            if (read == 0)
            {
                errors.Add($"connection {id}: server closed the connection after {length} of the {messageBytes} bytes of message #{sequence}");
                return -1;
            }

            length += read;
        }

        return length;
    }

    /// <summary>The echo's length, or -1 after recording why there is none.</summary>
    private async ValueTask<int> ReceiveEchoAsync(WebSocket socket, long sequence, LoadErrors errors, CancellationToken token)
    {
        var length = 0;
        // Each pass adds at least one byte or returns, and the buffer is finite.
        while (length < received.Length)
        {
            var result = await socket.ReceiveAsync(received.AsMemory(length), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                errors.Add($"connection {id}: server closed ({(int?)socket.CloseStatus} {socket.CloseStatusDescription}) instead of echoing message #{sequence}");
                return -1;
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                errors.Add($"connection {id}: echo of binary message #{sequence} came back as {result.MessageType}");
                socket.Abort();
                return -1;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return length;
            }
        }

        errors.Add($"connection {id}: echo of message #{sequence} is longer than the {messageBytes} bytes sent");
        socket.Abort();
        return -1;
    }
}
