using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Wsdoctor.Probes.Net;

/// <summary>Short extra connections that answer one question each ("does this port speak plain HTTP?",
/// "does it accept TLS 1.2?"). Every one is bounded by its timeout and never throws.</summary>
internal static class Dialer
{
    public static async Task<Socket?> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Sends a minimal HTTP request and returns the first bytes of the answer (empty if none).</summary>
    public static async Task<byte[]> PlainHttpProbeAsync(Route route, string hostHeader, TimeSpan timeout, CancellationToken ct)
    {
        await using var stream = await route.OpenAsync(timeout, ct).ConfigureAwait(false);
        if (stream is null)
        {
            return [];
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {hostHeader}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(request, cts.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            var n = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
            return buffer[..n];
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            return [];
        }
    }

    /// <summary>A TLS handshake that accepts any certificate; returns the negotiated protocol or the reason it failed.</summary>
    public static async Task<(SslProtocols? Protocol, string Error)> TlsProbeAsync(
        Route route, string host, SslProtocols protocols, TimeSpan timeout, CancellationToken ct)
    {
        var stream = await route.OpenAsync(timeout, ct).ConfigureAwait(false);
        if (stream is null)
        {
            return (null, "could not connect");
        }

        await using var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(AnyCertificate(host, protocols, null), cts.Token).ConfigureAwait(false);
            return (ssl.SslProtocol, "");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException or PlatformNotSupportedException)
        {
            return (null, ex is OperationCanceledException ? "timed out" : ExceptionText.Chain(ex));
        }
    }

    /// <summary>Client options for follow-up handshakes, which never judge the certificate: the main attempt did.</summary>
    public static SslClientAuthenticationOptions AnyCertificate(string host, SslProtocols protocols, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate) => new()
    {
        TargetHost = IPAddress.TryParse(host.Trim('[', ']'), out _) ? "" : host,
        EnabledSslProtocols = protocols,
        ApplicationProtocols = [SslApplicationProtocol.Http11],
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        ClientCertificates = clientCertificate is null ? null : [clientCertificate],
    };

}
