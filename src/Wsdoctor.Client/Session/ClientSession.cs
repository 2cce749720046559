using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;

using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Client.Session;

/// <summary>One open connection as a stream of <see cref="SessionEvent"/>s: the receive loop joins fragments into
/// messages, the tap reports control frames, our pings are matched with their pongs for the RTT.
/// <paramref name="sink"/> is called from several tasks and must be thread-safe.</summary>
public sealed partial class ClientSession(OpenedConnection connection, SessionOptions options, Action<SessionEvent> sink)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _pendingPings = new(StringComparer.Ordinal);
    private long _pingCounter;
    private volatile bool _weClosed;
    private volatile string? _abortReason;

    private WebSocket Socket => connection.Socket;

    private TimeProvider Time => options.Time;

    /// <summary>Runs until the connection is closed (by either side), dies, or <paramref name="ct"/> fires.</summary>
    public async Task<SessionEnd> RunAsync(CancellationToken ct)
    {
        connection.Tap.OnFrame = OnTapFrame;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pinger = options.PingInterval is { } interval ? PingLoopAsync(interval, stop.Token) : Task.CompletedTask;
        try
        {
            return await ReceiveLoopAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pinger.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            // RFC 6455 7.1.1: once the closing handshake is done the TCP connection serves no purpose; closing our
            // side lets a server that waits for our FIN (ws does, up to 30 s) finish at once.
            Socket.Dispose();
            await connection.Tap.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task SendTextAsync(string text, CancellationToken ct) =>
        SendAsync(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text), ct);

    public async Task SendAsync(WebSocketMessageType type, byte[] data, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Reported before the send completes: a fast echo must not appear to precede the message it answers.
            sink(new MessageEvent(Time.GetUtcNow(), TapDirection.Out, type, data));
            await Socket.SendAsync(data, type, endOfMessage: true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a ping through the tap and watches for its pong (RTT, --ping-timeout). An empty payload is
    /// replaced by a numbered one so that each pong can be matched to its ping.</summary>
    public async Task PingAsync(byte[] payload, CancellationToken ct)
    {
        if (payload.Length == 0)
        {
            payload = Encoding.ASCII.GetBytes($"wsdoctor-{Interlocked.Increment(ref _pingCounter)}");
        }

        var key = Convert.ToHexString(payload);
        _pendingPings[key] = Time.GetTimestamp();
        await connection.Tap.SendControlAsync(Opcode.Ping, payload, ct).ConfigureAwait(false);
        if (options.PingTimeout is { } timeout)
        {
            _ = WatchPongAsync(key, timeout, ct);
        }
    }

    /// <summary>Starts the closing handshake (RFC 6455 7.1.2) and bounds the wait for the server's Close.</summary>
    public async Task CloseAsync(int code, string reason, CancellationToken ct)
    {
        _weClosed = true;
        if (Socket.State != WebSocketState.Open)
        {
            return;
        }

        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            return;
        }
        finally
        {
            _sendLock.Release();
        }

        _ = AbortAfterAsync(options.CloseTimeout, "the server did not answer our Close frame", ct);
    }

    private async Task AbortAfterAsync(TimeSpan delay, string reason, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, Time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            _abortReason ??= reason;
            Socket.Abort();
        }
    }

    private async Task WatchPongAsync(string key, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await Task.Delay(timeout, Time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (_pendingPings.ContainsKey(key) && Socket.State == WebSocketState.Open)
        {
            var note = T($"no pong within {timeout.TotalSeconds:0.###} s (--ping-timeout): the server or a proxy on the way stopped answering",
                $"{timeout.TotalSeconds:0.###} s 内没有收到 pong（--ping-timeout）：服务端或途中的代理不再应答");
            var reason = note.En;
            sink(new NoteEvent(Time.GetUtcNow(), reason, IsProblem: true) { Translated = note });
            _abortReason ??= reason;
            Socket.Abort();
        }
    }

    private async Task PingLoopAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, Time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false) && Socket.State == WebSocketState.Open)
        {
            try
            {
                await PingAsync([], ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or WebSocketException)
            {
                return;
            }
        }
    }

    private void OnTapFrame(TapDirection direction, FrameEvent frame)
    {
        var now = Time.GetUtcNow();
        switch (frame)
        {
            case PingReceived ping:
                sink(new ControlEvent(now, direction, Opcode.Ping, ping.Payload, null));
                break;
            case PongReceived pong:
                double? rtt = null;
                if (direction == TapDirection.In && _pendingPings.TryRemove(Convert.ToHexString(pong.Payload), out var sentAt))
                {
                    rtt = Time.GetElapsedTime(sentAt).TotalMilliseconds;
                }

                sink(new ControlEvent(now, direction, Opcode.Pong, pong.Payload, rtt));
                break;
            case CloseReceived close:
                sink(new CloseEvent(now, direction, close.Code, close.Reason));
                break;
            case ProtocolViolation violation when direction == TapDirection.In:
                var broke = T($"the server broke the protocol: {violation.Description}", $"服务端违反了协议：{Probes.Session.SessionTexts.Rule(violation.Kind)}");
                sink(new NoteEvent(now, broke.En, IsProblem: true) { Translated = broke });
                break;
        }
    }
}
