using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>An ECDSA or RSA key seen through the few operations certificate issuance needs, so the issuing
/// code does not branch on the algorithm everywhere.</summary>
internal sealed class KeyPair : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    private KeyPair(AsymmetricAlgorithm key) => _key = key;

    public bool IsRsa => _key is RSA;

    public static KeyPair Create(KeyKind kind) => kind switch
    {
        KeyKind.EcdsaP256 => new KeyPair(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        KeyKind.Rsa2048 => new KeyPair(RSA.Create(2048)),
        KeyKind.Rsa1024 => new KeyPair(RSA.Create(1024)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown key kind"),
    };

    /// <summary>The private key of a certificate, e.g. a CA about to sign.</summary>
    public static KeyPair PrivateKeyOf(X509Certificate2 certificate) =>
        new(certificate.GetECDsaPrivateKey() as AsymmetricAlgorithm
            ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException(
                $"certificate {certificate.Subject} has no ECDSA or RSA private key", nameof(certificate)));

    public static KeyPair ImportEcdsa(ReadOnlySpan<char> pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            return new KeyPair(ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    public static KeyPair ImportRsa(ReadOnlySpan<char> pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new KeyPair(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public CertificateRequest CreateRequest(X500DistinguishedName subject) => _key switch
    {
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException($"unsupported key {_key.GetType().Name}"),
    };

    // PKCS#1 v1.5 rather than PSS: it is what public CAs use and what every TLS client verifies.
    public X509SignatureGenerator CreateSignatureGenerator() => _key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException($"unsupported key {_key.GetType().Name}"),
    };

    /// <summary>A copy of <paramref name="certificate"/> that carries this private key and can be handed to
    /// SslStream as a server or client certificate. Disposes <paramref name="certificate"/>.</summary>
    public X509Certificate2 AttachTo(X509Certificate2 certificate)
    {
        using (certificate)
        {
            var withKey = _key switch
            {
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                _ => throw new InvalidOperationException($"unsupported key {_key.GetType().Name}"),
            };
            return PersistForSchannel(withKey);
        }
    }

    // SChannel (Windows) cannot use the ephemeral CNG key CopyWithPrivateKey produces for a TLS handshake;
    // a PKCS#12 round trip stores the key in a key container, deleted again when the certificate is disposed.
    // OpenSSL on Linux uses the in-memory key directly, so no round trip there.
    private static X509Certificate2 PersistForSchannel(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(
                certificate.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
        }
    }

    public void Dispose() => _key.Dispose();
}
