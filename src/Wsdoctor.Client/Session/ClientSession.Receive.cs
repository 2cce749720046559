using System.Buffers;
using System.Net.WebSockets;
using Wsdoctor.Client.Tap;

using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Client.Session;

public sealed partial class ClientSession
{
    private async Task<SessionEnd> ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= options.MaxMessageBytes)
                    {
                        await CloseAsync((int)WebSocketCloseStatus.MessageTooBig, "message too big", ct).ConfigureAwait(false);
                        var note = T($"a message exceeded {options.MaxMessageBytes} bytes; closed with 1009", $"一条消息超过了 {options.MaxMessageBytes} 字节；已用 1009 关闭");
                        sink(new NoteEvent(Time.GetUtcNow(), note.En, IsProblem: true) { Translated = note });
                        length = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, options.MaxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                var result = await Socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return await FinishAsync(ct).ConfigureAwait(false);
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    sink(new MessageEvent(Time.GetUtcNow(), TapDirection.In, result.MessageType, buffer.AsSpan(0, length).ToArray()));
                    length = 0;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var error = _abortReason ?? (ex is WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }
                ? "the connection closed without a Close frame (1006)"
                : ex.Message);
            return new SessionEnd(null, "", _weClosed && _abortReason is null, error) { Reset = _abortReason is null && IsReset(ex) };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsReset(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The server's Close arrived: answer it if we have not closed yet (RFC 6455 5.5.1), echoing its code.</summary>
    private async Task<SessionEnd> FinishAsync(CancellationToken ct)
    {
        var code = Socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? (int?)status : null;
        var reason = Socket.CloseStatusDescription ?? "";
        if (Socket.State == WebSocketState.CloseReceived)
        {
            using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
            step.CancelAfter(options.CloseTimeout);
            await _sendLock.WaitAsync(step.Token).ConfigureAwait(false);
            try
            {
                await Socket.CloseOutputAsync(code is null ? WebSocketCloseStatus.Empty : (WebSocketCloseStatus)code, code is null ? null : reason, step.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server may already have dropped TCP after its Close; the session still ended cleanly.
            }
            finally
            {
                _sendLock.Release();
            }
        }

        return new SessionEnd(code, reason, _weClosed, null);
    }
}
