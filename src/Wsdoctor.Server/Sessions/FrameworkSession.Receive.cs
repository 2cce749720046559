using System.Buffers;
using System.Net.WebSockets;

namespace Wsdoctor.Server.Sessions;

public sealed partial class FrameworkSession
{
    private async Task ReceiveLoopAsync(IMessageSink sink, Func<Outgoing, string?>? firstMessageAuth, CancellationToken ct)
    {
        var awaitingAuth = firstMessageAuth is not null;
        using var authDeadline = awaitingAuth ? new Timer(
            _ => BeginClose(1008, $"no auth message within {limits.AuthTimeout.TotalSeconds:0.#} s", CloseDecision.ByServer),
            null, limits.AuthTimeout, Timeout.InfiniteTimeSpan) : null;

        // Idle connections hold no receive buffer: between messages the loop parks on a zero-byte read (as YARP
        // does) and rents one only when a frame arrives. Holding 64 KiB per idle client costs ~16 KiB of RSS each.
        var message = new MessageAssembly();
        var discarding = false;
        try
        {
            // Bounded: each pass consumes data from the peer or ends; the close timeout caps the closing phase.
            while (true)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    if (!message.HasBuffer)
                    {
                        result = await socket.ReceiveAsync(Memory<byte>.Empty, ct).ConfigureAwait(false);
                        if (result.MessageType != WebSocketMessageType.Close && !result.EndOfMessage)
                        {
                            // A frame with payload is waiting: read it into a real buffer on the next pass.
                            message.Room();
                            continue;
                        }
                    }
                    else
                    {
                        result = await socket.ReceiveAsync(message.Room(), ct).ConfigureAwait(false);
                    }
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
                    discarding = !result.EndOfMessage;
                    message.Clear(keepBuffer: discarding);
                    continue;
                }

                message.Advance(result.Count);
                if (message.Length > limits.MaxMessageSize)
                {
                    // Inflating stops holding bytes here: the rest of the message is read into the same buffer.
                    BeginClose(1009, $"message over {limits.MaxMessageSize} bytes", CloseDecision.ByServer);
                    discarding = !result.EndOfMessage;
                    message.Clear(keepBuffer: discarding);
                    continue;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var received = new Outgoing(message.ToArray(), result.MessageType);
                message.Clear(keepBuffer: false);
                if (awaitingAuth)
                {
                    CountIn(received.Payload.Length);
                    awaitingAuth = false;
                    authDeadline!.Dispose();
                    if (firstMessageAuth!(received) is { } failure)
                    {
                        BeginClose(1008, failure, CloseDecision.ByServer);
                    }

                    continue;
                }

                // A message the sink refuses arrived as the session began closing: it is neither echoed nor
                // counted, so in_msgs says what was processed before the close frame.
                if (await sink.ReceivedAsync(this, received, ct).ConfigureAwait(false))
                {
                    CountIn(received.Payload.Length);
                }
            }
        }
        finally
        {
            message.Clear(keepBuffer: false);
        }
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
            TryDecide(new CloseDecision(CloseDecision.Abnormal, "ping timeout", CloseDecision.ByServer));
            Reaped = true;
            return;
        }

        if (IsInvalidUtf8(e))
        {
            // The framework already sent 1007 (RFC 6455 8.1) and failed the connection.
            TryDecide(new CloseDecision(1007, "invalid UTF-8 in a text message", CloseDecision.ByServer));
            return;
        }

        var reason = e is WebSocketException ws ? ws.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely ? "connection lost" : ws.Message : "connection lost";
        TryDecide(new CloseDecision(CloseDecision.Abnormal, reason, CloseDecision.ByClient));
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
}
