using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Opening;
using Wsdoctor.Findings;
using Wsdoctor.Load.Errors;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Load.Connections;

/// <summary>Opens one WebSocket: TCP connect, the RFC 6455 4.1 handshake written and checked here, then the
/// framework's framing engine over the socket's own stream (<see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>).
/// Cheaper for a load generator than ClientWebSocket, whose stream goes through the HTTP connection's buffer,
/// and its memory per connection is just the socket and the WebSocket.</summary>
public static class WebSocketDialer
{
    private const int MaxHeadBytes = 16 * 1024;

    /// <summary>Connects within <paramref name="timeout"/>. Failures are <see cref="DialException"/> with one
    /// sentence saying what the server or the network did.</summary>
    public static Task<WebSocket> ConnectAsync(LoadTarget target, TimeSpan timeout, CancellationToken ct) =>
        ConnectAsync(target, timeout, TimeSpan.Zero, Timeout.InfiniteTimeSpan, ct);

    /// <param name="keepAlive">The runtime's heartbeat Ping interval (zero: none).</param>
    /// <param name="keepAliveTimeout">With a heartbeat: abort when a Ping gets no Pong within this time.</param>
    public static async Task<WebSocket> ConnectAsync(LoadTarget target, TimeSpan timeout, TimeSpan keepAlive, TimeSpan keepAliveTimeout, CancellationToken ct) =>
        (await ConnectRawAsync(target, timeout, keepAlive, keepAliveTimeout, ct).ConfigureAwait(false)).WebSocket;

    /// <summary>The same, with the socket under the WebSocket (for <see cref="ClientFrameSender"/>).</summary>
    public static async Task<(WebSocket WebSocket, Socket Socket)> ConnectRawAsync(LoadTarget target, TimeSpan timeout, TimeSpan keepAlive, TimeSpan keepAliveTimeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cts.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var leftover = await HandshakeAsync(stream, target, cts.Token).ConfigureAwait(false);
            return (WebSocket.CreateFromStream(
                leftover.Length == 0 ? stream : new PrefixedStream(leftover, stream),
                new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAliveTimeout }), socket);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var connected = socket.Connected;
            socket.Dispose();
            var message = $"no WebSocket connection to {target} within {timeout.TotalSeconds:0.#} s";
            // Connected but no answer to the upgrade is the HTTP layer's silence, not TCP's.
            throw new DialException(connected
                ? new LoadError(Codes.HttpNoResponse, null, ErrorStage.Connect, $"{message}: no answer to the upgrade request")
                : new LoadError(Codes.TcpTimeout, null, ErrorStage.Connect, $"{message}: no answer to the TCP connect"));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new DialException(ErrorClassifier.FromSocketError(ex.SocketErrorCode, $"cannot connect to {target}: {ex.SocketErrorCode}"));
        }
        catch (IOException ex)
        {
            socket.Dispose();
            throw new DialException(new LoadError(Codes.HttpNoResponse, null, ErrorStage.Connect, $"connection to {target} broke during the handshake: {ex.Message}"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Returns the bytes that arrived after the head (normally none).</summary>
    private static async Task<byte[]> HandshakeAsync(NetworkStream stream, LoadTarget target, CancellationToken ct)
    {
        var key = HandshakeKeys.NewKey();
        var request = UpgradeRequest.Build(target.HostHeader, target.PathAndQuery, key, []);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct).ConfigureAwait(false);

        var parser = new ResponseHeadParser(MaxHeadBytes);
        var buffer = new byte[4096];
        // Each read returns at least one byte or ends the loop, and the parser stops at MaxHeadBytes.
        while (true)
        {
            var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new DialException(new LoadError(Codes.HttpNoResponse, null, ErrorStage.Connect, $"{target} closed the connection before answering the upgrade"));
            }

            var status = parser.Consume(buffer.AsSpan(0, read), out var consumed);
            if (status == HeadParseStatus.NeedMoreData)
            {
                continue;
            }

            if (status != HeadParseStatus.Complete)
            {
                throw new DialException(new LoadError(Codes.HttpInvalidResponse, null, ErrorStage.Connect, $"{target} answered the upgrade with something that is not HTTP: {parser.Error}"));
            }

            Validate(parser.Head!, key, target);
            return buffer.AsSpan(consumed, read - consumed).ToArray();
        }
    }

    private static void Validate(ResponseHead head, string key, LoadTarget target)
    {
        if (head.StatusCode != 101)
        {
            throw new DialException(ErrorClassifier.ForStatus(head.StatusCode, head, $"{target} answered the upgrade with {head.StatusCode} {head.Reason}".TrimEnd()));
        }

        // RFC 6455 4.1, client step 4: a wrong Accept means we are not talking to the server we asked.
        if (head.Get("Sec-WebSocket-Accept") != HandshakeKeys.ComputeAccept(key))
        {
            throw new DialException(new LoadError(Codes.WsBadAccept, null, ErrorStage.Connect, $"{target} sent a wrong Sec-WebSocket-Accept"));
        }
    }
}
