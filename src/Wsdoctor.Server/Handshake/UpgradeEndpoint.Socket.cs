using System.Buffers;
using System.Net.Sockets;
using Wsdoctor.Server.Sessions;
using Wsdoctor.Server.Transport;

namespace Wsdoctor.Server.Handshake;

/// <summary>The connections of serve's own transport (<see cref="DirectTransport"/>): a socket whose first request is a
/// plain upgrade runs its session on the bare socket (<see cref="SocketPipe"/>); any other is handed to Kestrel
/// unread.</summary>
internal sealed partial class UpgradeEndpoint
{
    /// <summary>Serves an accepted socket to its end, or hands it to Kestrel with nothing read. One frame for the
    /// connection's whole life besides the session's own.</summary>
    public async Task ServeSocketAsync(Socket socket, ISocketOwner owner)
    {
        try
        {
            var direct = stopping || authenticator is not null ? Direct.ToKestrel : await UpgradeSocketAsync(socket, owner.Unbound).ConfigureAwait(false);
            if (direct.Session is not { } session)
            {
                if (direct.HandOn)
                {
                    owner.HandOn(socket);
                }
                else
                {
                    socket.Dispose();
                }

                return;
            }

            CloseDecision close;
            try
            {
                close = await session.RunAsync(sink, FirstMessageAuth, Stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                hub.Remove(session);
                hub.Release();

                // Closed before the pipes complete, which then only return their buffers.
                socket.Dispose();
                direct.Pipe!.Complete();
                direct.Pipe.Output.Complete();
            }

            Closed(session, close);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Cut before or during its handshake (or the listener stopped meanwhile).
            socket.Dispose();
        }
        finally
        {
            owner.Ended();
        }
    }

    /// <summary>Waits for the first bytes (with no buffer), looks at the head without consuming it and, when it is a
    /// plain upgrade, consumes it and answers 101.</summary>
    private async Task<Direct> UpgradeSocketAsync(Socket socket, CancellationToken unbound)
    {
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(unbound, Stopping.Token))
        {
            wait.CancelAfter(options.HandshakeTimeout);
            try
            {
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!unbound.IsCancellationRequested && !Stopping.IsCancellationRequested)
            {
                Silent(Remote(socket.RemoteEndPoint));
                return Direct.Done;
            }
        }

        var head = ArrayPool<byte>.Shared.Rent(ConnectionUpgrade.MaxHead);
        try
        {
            var peeked = await socket.ReceiveAsync(head.AsMemory(0, ConnectionUpgrade.MaxHead), SocketFlags.Peek).ConfigureAwait(false);
            if (peeked == 0)
            {
                // Closed before a request.
                return Direct.Done;
            }

            var upgrade = ConnectionUpgrade.Eligible(new ReadOnlySequence<byte>(head, 0, peeked), options.Path, options.Compress, out var headLength);
            if (stopping || upgrade is null || origins.Check(upgrade.Origin, upgrade.Host) is not null || !hub.TryReserve())
            {
                // Kestrel reads the same bytes (and answers refusals with their statuses and log lines; during
                // shutdown, 503).
                return Direct.ToKestrel;
            }

            var accepted = false;
            try
            {
                // Bounded: each pass takes at least one byte of the head, which the peek saw in the socket's buffer.
                for (var read = 0; read < headLength;)
                {
                    var n = await socket.ReceiveAsync(head.AsMemory(read, headLength - read), SocketFlags.None).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return Direct.Done;
                    }

                    read += n;
                }

                var pipe = new SocketPipe(socket);
                if (!await ConnectionUpgrade.AcceptAsync(pipe.Output, upgrade.Key).ConfigureAwait(false))
                {
                    pipe.Output.Complete();
                    return Direct.Done;
                }

                var session = new PipeSession(hub.NextId(), pipe, limits, metrics);
                Opened(session, Remote(socket.RemoteEndPoint), upgrade.Origin, upgrade.Path, upgrade.UserAgent, "", "");
                accepted = true;
                return new Direct(session, pipe, HandOn: false);
            }
            finally
            {
                if (!accepted)
                {
                    hub.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    /// <summary>What <see cref="UpgradeSocketAsync"/> decided: a session on the socket, nothing more to do (the
    /// caller closes the socket), or hand it to Kestrel.</summary>
    private readonly record struct Direct(PipeSession? Session, SocketPipe? Pipe, bool HandOn)
    {
        public static Direct ToKestrel => new(null, null, HandOn: true);

        public static Direct Done => new(null, null, HandOn: false);
    }
}
