using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Protocol.Net;

namespace Wsdoctor.Lab.Servers;

/// <summary>A loopback server on an ephemeral port whose every connection is handled by a script: the way to
/// reproduce a misbehaving peer byte for byte. Optional TLS in front. Handlers are bounded in time and a
/// handler's own failure is kept (not swallowed) so tests can see it.</summary>
public sealed class RawServer : IAsyncDisposable
{
    private static readonly TimeSpan HandlerLimit = TimeSpan.FromSeconds(20);
    private readonly TcpListener listener;
    private readonly Func<Stream, CancellationToken, Task> handler;
    private readonly SslStreamCertificateContext? tls;
    private readonly CancellationTokenSource stop = new();
    private readonly AcceptLoop accepting;

    private RawServer(IPAddress address, Func<Stream, CancellationToken, Task> handler, SslStreamCertificateContext? tls)
    {
        this.handler = handler;
        this.tls = tls;
        listener = new TcpListener(address, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = new AcceptLoop(listener, HandleAsync, stop.Token);
    }

    public int Port { get; }

    /// <summary>Unexpected exceptions thrown by handlers (a broken script, not a broken client).</summary>
    public List<Exception> Faults { get; } = [];

    public static RawServer Start(Func<Stream, CancellationToken, Task> handler, IPAddress? address = null) =>
        new(address ?? IPAddress.Loopback, handler, null);

    /// <summary>TLS server sending <paramref name="leaf"/> followed by <paramref name="chain"/> (and nothing else).</summary>
    public static RawServer StartTls(X509Certificate2 leaf, X509Certificate2Collection chain, Func<Stream, CancellationToken, Task> handler) =>
        new(IPAddress.Loopback, handler, SslStreamCertificateContext.Create(leaf, chain, offline: true));

    private async Task HandleAsync(Socket socket)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        cts.CancelAfter(HandlerLimit);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (tls is not null)
            {
                var ssl = new SslStream(stream);
                stream = ssl;
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = tls,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, cts.Token).ConfigureAwait(false);
            }

            await handler(stream, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                                   or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or gave up: normal in a fault lab.
        }
        catch (Exception ex)
        {
            lock (Faults)
            {
                Faults.Add(ex);
            }
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await Task.WhenAny(Task.WhenAll([accepting.Task, .. accepting.Running()]), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        stop.Dispose();
    }
}
