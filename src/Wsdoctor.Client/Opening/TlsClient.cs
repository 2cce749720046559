using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Client.Opening;

/// <summary>The TLS layer of a wss:// connection, judged like a browser unless -k; --ca replaces the system roots.</summary>
internal static class TlsClient
{
    public sealed record Secured(SslStream? Stream, OpenFailure? Failure, string? Version, string? Cipher, string? Subject)
    {
        /// <summary>SHA-256 of the leaf the server sent (hex), so a long-running caller can tell a new certificate.</summary>
        public string? Thumbprint { get; init; }

        public DateTimeOffset? NotAfter { get; init; }
    }

    public static async Task<Secured> AuthenticateAsync(Stream transport, string host, TlsMaterial material, CheckOptions options, CancellationToken ct)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            // An IP literal is matched against the IP SANs; .NET then sends no SNI (RFC 6066 3 allows names only).
            TargetHost = host.Trim('[', ']'),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            // Revocation lists live on the internet; a loopback-only tool cannot fetch them.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificates = material.ClientCertificate is { } client ? [client] : null,
        };
        if (options.Insecure)
        {
            authentication.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (material.CustomRoots is { } roots)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(roots);
            authentication.CertificateChainPolicy = policy;
        }

        using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
        step.CancelAfter(options.StepTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, step.Token).ConfigureAwait(false);
            var leaf = ssl.RemoteCertificate is { } cert ? cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData()) : null;
            return new Secured(ssl, null, Name(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString(), leaf?.Subject)
            {
                Thumbprint = leaf?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
                NotAfter = leaf is null ? null : new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            };
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var message = ex is OperationCanceledException
                ? Findings.Text.T($"no TLS handshake within {options.StepTimeout.TotalSeconds:0.#} s", $"{options.StepTimeout.TotalSeconds:0.#} s 内没有完成 TLS 握手")
                : Findings.Text.Verbatim(Probes.Net.ExceptionText.Chain(ex));
            return new Secured(null, new OpenFailure(OpenStage.Tls, Findings.Text.T($"TLS handshake failed: {message.En}", $"TLS 握手失败：{message.Zh}")), null, null, null);
        }
    }

    private static string Name(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        _ => protocol.ToString(),
    };
}
