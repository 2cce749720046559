using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Wsdoctor.Server.Handshake;

namespace Wsdoctor.Server.Transport;

/// <summary>serve's own transport for its WebSocket listeners without TLS: serve accepts each socket itself and looks
/// at the first request head without consuming it (<c>MSG_PEEK</c>). A plain upgrade (<see cref="ConnectionUpgrade"/>)
/// becomes a session on the bare socket — no Kestrel connection, no pipes of Kestrel's, no per-connection transport
/// loops, which is most of what an idle connection used to cost (docs/performance.md). Every other connection — a
/// refusal, an HTTP request, an upgrade that needs serve's HTTP policy, a head that has not fully arrived — is handed
/// to Kestrel as an ordinary socket connection with nothing read, and Kestrel serves it as before.</summary>
/// <remarks>Kestrel picks this factory for the endpoints <see cref="Claim"/>ed (it tries the last registered factory
/// first and asks <see cref="CanBind"/>); the metrics listener and TLS listeners stay on Kestrel's own sockets.</remarks>
internal sealed class DirectTransport(Func<UpgradeEndpoint?> upgrade) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Kestrel's own default (SocketTransportOptions.Backlog).</summary>
    private const int Backlog = 512;

    private readonly HashSet<EndPoint> claimed = new(ReferenceEqualityComparer.Instance);

    /// <summary>Takes the endpoint of a WebSocket listener (the very object Kestrel will bind).</summary>
    public void Claim(EndPoint listen)
    {
        lock (claimed)
        {
            claimed.Add(listen);
        }
    }

    public bool CanBind(EndPoint endpoint)
    {
        lock (claimed)
        {
            return claimed.Contains(endpoint);
        }
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket socket;
        try
        {
            socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Kestrel turns this into its "address already in use" IOException, as for its own sockets.
            throw new AddressInUseException(e.Message, e);
        }

        socket.Listen(Backlog);
        // The socket transport's own log lines (resets, pauses) are none of serve's log (KestrelDiagnostics).
        var contexts = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), NullLogger.Instance);
        return ValueTask.FromResult<IConnectionListener>(new Listener(socket, contexts, upgrade));
    }

    private sealed class Listener : IConnectionListener, ISocketOwner
    {
        /// <summary>How long unbinding waits for serve's own connections when Kestrel gives no deadline.</summary>
        private static readonly TimeSpan DrainBound = TimeSpan.FromSeconds(5);

        private readonly Socket socket;
        private readonly SocketConnectionContextFactory contexts;
        private readonly Func<UpgradeEndpoint?> endpoint;
        private readonly Channel<ConnectionContext> handedOn = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource closing = new();
        private readonly Task accepting;
        private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Sockets accepted and not ended yet, plus one for the accept loop itself.
        private int active = 1;
        private int unbound;

        public Listener(Socket socket, SocketConnectionContextFactory contexts, Func<UpgradeEndpoint?> endpoint)
        {
            this.socket = socket;
            this.contexts = contexts;
            this.endpoint = endpoint;
            EndPoint = socket.LocalEndPoint!;
            accepting = Task.Run(AcceptLoopAsync, CancellationToken.None);
        }

        public EndPoint EndPoint { get; }

        public CancellationToken Unbound => closing.Token;

        /// <summary>Kestrel's accept: the connections serve did not take, until the listener is unbound.</summary>
        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                while (await handedOn.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (handedOn.Reader.TryRead(out var connection))
                    {
                        return connection;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            return null;
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref unbound, 1) != 0)
            {
                return;
            }

            await closing.CancelAsync().ConfigureAwait(false);
            socket.Dispose();
            await accepting.ConfigureAwait(false);
            handedOn.Writer.TryComplete();

            // Kestrel's stop waits for its connections; serve's own are waited for here (by then the graceful
            // shutdown has closed or cut their sessions), so their close lines come before "stopped".
            Ended();
            try
            {
                await ended.Task.WaitAsync(DrainBound, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await UnbindAsync().ConfigureAwait(false);
            while (handedOn.Reader.TryRead(out var connection))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            contexts.Dispose();
            closing.Dispose();
        }

        /// <summary>Bounded by the listener's life: it ends when the listening socket is closed.</summary>
        private async Task AcceptLoopAsync()
        {
            while (!closing.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(closing.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    // The client gave up while it waited in the backlog.
                    continue;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
                {
                    return;
                }
                catch (SocketException)
                {
                    // Out of descriptors or buffers: the backlog waits while connections close.
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50), closing.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    continue;
                }

                accepted.NoDelay = true;
                if (endpoint() is { } upgrade)
                {
                    Interlocked.Increment(ref active);
                    _ = upgrade.ServeSocketAsync(accepted, this);
                }
                else
                {
                    // Not serving yet (the listen line is not out): Kestrel answers 503.
                    HandOn(accepted);
                }
            }
        }

        public void Ended()
        {
            if (Interlocked.Decrement(ref active) == 0)
            {
                ended.TrySetResult();
            }
        }

        /// <summary>A socket serve does not take goes to Kestrel, as if Kestrel had accepted it.</summary>
        public void HandOn(Socket accepted)
        {
            var connection = contexts.Create(accepted);
            if (!handedOn.Writer.TryWrite(connection))
            {
                // Unbound meanwhile.
                _ = connection.DisposeAsync().AsTask();
            }
        }
    }
}

/// <summary>What serve's own transport hands the endpoint with each socket it accepted.</summary>
internal interface ISocketOwner
{
    /// <summary>The listener was unbound (Kestrel is stopping): a socket still waiting for its first request is
    /// dropped.</summary>
    CancellationToken Unbound { get; }

    /// <summary>Gives the socket, nothing read from it, to Kestrel.</summary>
    void HandOn(Socket socket);

    /// <summary>The endpoint is done with the socket (served, closed or handed on); called once per socket.</summary>
    void Ended();
}
