using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>PEM files as nginx, HAProxy, Node and OpenSSL read and write them (RFC 7468). This half writes;
/// <c>Pem.Load.cs</c> reads.</summary>
public static partial class Pem
{
    /// <summary>One <c>-----BEGIN CERTIFICATE-----</c> block, newline-terminated so blocks concatenate.</summary>
    public static string Export(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>Several certificate blocks in the order given — leaf first for a fullchain.pem.</summary>
    public static string ExportChain(IEnumerable<X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return string.Concat(certificates.Select(Export));
    }

    /// <summary>The certificate's private key as unencrypted PKCS#8 (<c>-----BEGIN PRIVATE KEY-----</c>),
    /// the one format every TLS server accepts for both EC and RSA keys.</summary>
    /// <exception cref="ArgumentException">The certificate has no ECDSA or RSA private key.</exception>
    public static string ExportPrivateKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using (var ecdsa = certificate.GetECDsaPrivateKey())
        {
            if (ecdsa is not null)
            {
                return ecdsa.ExportPkcs8PrivateKeyPem() + "\n";
            }
        }

        using (var rsa = certificate.GetRSAPrivateKey())
        {
            if (rsa is not null)
            {
                return rsa.ExportPkcs8PrivateKeyPem() + "\n";
            }
        }

        throw new ArgumentException(
            $"certificate {certificate.Subject} has no ECDSA or RSA private key", nameof(certificate));
    }
}
