using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Conform.Engine;

/// <summary>How the fuzzer client reaches a wss:// server: the name sent as SNI and checked against the certificate,
/// the roots to trust (--ca; null: the system store), or --insecure to accept any certificate (the cases test the
/// WebSocket layer, not the certificate).</summary>
public sealed record ClientTls(string ServerName, X509Certificate2Collection? Roots, bool Insecure)
{
    public SslClientAuthenticationOptions Options() => new()
    {
        // The URL's host, as check sends it: SNI for a name (SslStream sends none for an IP literal, RFC 6066 3) and
        // the name the certificate must cover.
        TargetHost = ServerName,
        ApplicationProtocols = [SslApplicationProtocol.Http11],
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Insecure || Validate(certificate, chain, errors),
    };

    private bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (Roots is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        // --ca: the chain is rebuilt against those roots only; the name check of SslStream still counts.
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(Roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.DisableCertificateDownloads = true;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}

/// <summary>One connection of a case: the TCP socket (for shutdown and close) and the stream the frames go through,
/// the socket itself for ws://, TLS over it for wss://.</summary>
public sealed class Transport : IAsyncDisposable
{
    private Transport(Socket socket, Stream stream)
    {
        Socket = socket;
        Stream = stream;
    }

    public Socket Socket { get; }

    public Stream Stream { get; }

    /// <summary>Plain TCP, already connected (the harness' accepted sockets).</summary>
    public static Transport Plain(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return new Transport(socket, new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>TLS over an accepted socket (conform client with --tls-cert/--tls-dev).</summary>
    /// <exception cref="AuthenticationException">The client did not complete the handshake.</exception>
    public static async Task<Transport> AcceptTlsAsync(Socket socket, SslStreamCertificateContext certificate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                ClientCertificateRequired = false,
            }, ct).ConfigureAwait(false);
            return new Transport(socket, ssl);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to host:port, with TLS when <paramref name="tls"/> is given.</summary>
    /// <exception cref="SocketException">Refused, unreachable.</exception>
    /// <exception cref="AuthenticationException">The TLS handshake failed or the certificate was refused.</exception>
    /// <exception cref="IOException">The peer closed during the TLS handshake.</exception>
    public static async Task<Transport> ConnectAsync(string host, int port, ClientTls? tls, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, ct).ConfigureAwait(false);
            if (tls is null)
            {
                return Plain(socket);
            }

            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(tls.Options(), ct).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return new Transport(socket, ssl);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The errors a connect or a read/write of a case can end with (the peer's doing, never ours).</summary>
    public static bool IsNetworkError(Exception e) => e is SocketException or IOException or AuthenticationException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        Socket.Dispose();
    }
}
