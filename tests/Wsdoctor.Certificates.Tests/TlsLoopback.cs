using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

/// <summary>A real TLS handshake over 127.0.0.1: an SslStream server presenting the given certificates and an
/// SslStream client validating against a custom root, recording what its validation callback saw. The
/// callback accepts everything so the handshake completes and the server's side can be checked too; any
/// server-side exception is rethrown, so a server that cannot use the certificate fails the test.</summary>
internal static class TlsLoopback
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static async Task<ClientView> HandshakeAsync(
        X509Certificate2 serverCertificate,
        X509Certificate2Collection sentAfterLeaf,
        X509Certificate2 trustedRoot,
        string targetHost)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var server = ServeOnceAsync(listener, serverCertificate, sentAfterLeaf, timeout.Token);
            var client = ConnectAsync(port, trustedRoot, targetHost, timeout.Token);
            await Task.WhenAll(server, client);
            return await client;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task ServeOnceAsync(
        TcpListener listener,
        X509Certificate2 certificate,
        X509Certificate2Collection chain,
        CancellationToken cancellationToken)
    {
        using var tcp = await listener.AcceptTcpClientAsync(cancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        var options = new SslServerAuthenticationOptions
        {
            // offline: the test hierarchy has no AIA URLs, and tests must not touch the network.
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, chain, offline: true),
        };
        await tls.AuthenticateAsServerAsync(options, cancellationToken);
        await tls.WriteAsync(new byte[] { 42 }, cancellationToken);
    }

    private static async Task<ClientView> ConnectAsync(
        int port,
        X509Certificate2 trustedRoot,
        string targetHost,
        CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        await using var tls = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(trustedRoot);

        ClientView? view = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                view = ClientView.Capture(certificate, chain, errors);
                return true;
            },
        };
        await tls.AuthenticateAsClientAsync(options, cancellationToken);
        var buffer = new byte[1];
        await tls.ReadExactlyAsync(buffer, cancellationToken);
        Assert.Equal(42, buffer[0]);
        return view ?? throw new InvalidOperationException("validation callback was not called");
    }
}
