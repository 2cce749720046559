using System.Buffers;
using System.Net.WebSockets;

namespace Wsdoctor.Server.Sessions;

public sealed partial class Session
{
    private const int MinReceiveRoom = 16 * 1024;

    private async Task ReceiveLoopAsync(IMessageSink sink, Func<Outgoing, string?>? firstMessageAuth, CancellationToken ct)
    {
        var awaitingAuth = firstMessageAuth is not null;
        using var authDeadline = awaitingAuth ? new Timer(
            _ => BeginClose(1008, $"no auth message within {limits.AuthTimeout.TotalSeconds:0.#} s", CloseDecision.ByServer),
            null, limits.AuthTimeout, Timeout.InfiniteTimeSpan) : null;

        var buffer = ArrayPool<byte>.Shared.Rent(MinReceiveRoom * 4);
        var length = 0;
        var discarding = false;
        try
        {
            // Bounded: each pass consumes data from the peer or ends; the close timeout caps the closing phase.
            while (true)
            {
                if (buffer.Length - length < MinReceiveRoom)
                {
                    buffer = Grow(buffer, length);
                }

                ValueWebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
                {
                    OnReceiveFailed(e, ct.IsCancellationRequested);
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    OnPeerClose();
                    return;
                }

                if (discarding || Closing)
                {
                    // After our close frame only the peer's close matters (RFC 6455 5.5.1).
                    length = 0;
                    discarding = !result.EndOfMessage;
                    continue;
                }

                length += result.Count;
                if (length > limits.MaxMessageSize)
                {
                    BeginClose(1009, $"message over {limits.MaxMessageSize} bytes", CloseDecision.ByServer);
                    length = 0;
                    discarding = !result.EndOfMessage;
                    continue;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var message = new Outgoing(buffer.AsMemory(0, length).ToArray(), result.MessageType);
                length = 0;
                if (awaitingAuth)
                {
                    CountIn(message);
                    awaitingAuth = false;
                    authDeadline!.Dispose();
                    if (firstMessageAuth!(message) is { } failure)
                    {
                        BeginClose(1008, failure, CloseDecision.ByServer);
                    }

                    continue;
                }

                // A message the sink refuses arrived as the session began closing: it is neither echoed nor
                // counted, so in_msgs says what was processed before the close frame.
                if (await sink.ReceivedAsync(this, message, ct).ConfigureAwait(false))
                {
                    CountIn(message);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CountIn(Outgoing message)
    {
        Interlocked.Increment(ref inMessages);
        Interlocked.Add(ref inBytes, message.Payload.Length);
        metrics.Received(message.Payload.Length);
    }

    private byte[] Grow(byte[] buffer, int length)
    {
        // Doubling keeps a 16 MB message at about two dozen copies; the cap keeps it within the message limit.
        var size = (int)Math.Min(Math.Max(buffer.Length * 2L, length + MinReceiveRoom), Math.Min(Array.MaxLength, limits.MaxMessageSize + MinReceiveRoom));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private void OnPeerClose()
    {
        // Echo the peer's code back (RFC 6455 5.5.1); a close frame without a code (1005) is answered with 1000.
        var code = socket.CloseStatus is { } status ? (int)status : 1005;
        var reason = socket.CloseStatusDescription ?? "";
        if (Decision is null)
        {
            BeginClose(code, reason, CloseDecision.ByClient);
        }
    }

    private void OnReceiveFailed(Exception e, bool cutByUs)
    {

        if (Decision is not null)
        {
            return;
        }

        if (!cutByUs && limits.Heartbeat && IsKeepAliveTimeout(e))
        {
            Interlocked.CompareExchange(ref decision, new CloseDecision(CloseDecision.Abnormal, "ping timeout", CloseDecision.ByServer), null);
            Reaped = true;
            return;
        }

        if (IsInvalidUtf8(e))
        {
            // The framework already sent 1007 (RFC 6455 8.1) and failed the connection.
            Interlocked.CompareExchange(ref decision, new CloseDecision(1007, "invalid UTF-8 in a text message", CloseDecision.ByServer), null);
            return;
        }

        var reason = e is WebSocketException ws ? ws.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely ? "connection lost" : ws.Message : "connection lost";
        Interlocked.CompareExchange(ref decision, new CloseDecision(CloseDecision.Abnormal, reason, CloseDecision.ByClient), null);
    }

    // .NET 9+ ManagedWebSocket.KeepAlive: a missing pong makes the framework abort the connection underneath the
    // pending receive, which on Kestrel fails with ConnectionAbortedException ("aborted by the application")
    // while our own token is not cancelled. Nothing else aborts an upgraded connection while the server runs.
    private static bool IsKeepAliveTimeout(Exception e) =>
        e is Microsoft.AspNetCore.Connections.ConnectionAbortedException || e.InnerException is TimeoutException;

    // ManagedWebSocket validates text frames as they arrive, sends 1007 and throws Faulted with no message of its
    // own; its protocol errors (1002) always carry one (ManagedWebSocket.ReceiveAsyncPrivate).
    private static readonly string FaultedWithoutDetail = new WebSocketException(WebSocketError.Faulted).Message;

    private static bool IsInvalidUtf8(Exception e) =>
        e is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted, InnerException: null } ws && ws.Message == FaultedWithoutDetail;

    /// <summary>True when the framework's keep-alive timed out (no pong within KeepAliveTimeout).</summary>
    public bool Reaped { get; private set; }
}
