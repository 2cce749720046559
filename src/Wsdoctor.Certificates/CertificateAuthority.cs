using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>A throwaway CA (ECDSA P-256) that issues intermediates and leaves. Roots carry no path-length
/// limit and intermediates pathLen 0, the shape of public PKI (e.g. ISRG Root X1 → R10).</summary>
public sealed class CertificateAuthority : IDisposable
{
    // Backdating covers clock skew between the machine that issues and the one that validates
    // (containers, VMs, CI runners): a CA that is "not yet valid" there would hide the fault under test.
    private static readonly TimeSpan Backdate = TimeSpan.FromDays(1);

    // Null: no limit. 0: may issue leaves only.
    private readonly int? _pathLength;
    private bool _disposed;

    private CertificateAuthority(X509Certificate2 certificate, int? pathLength)
    {
        Certificate = certificate;
        _pathLength = pathLength;
    }

    /// <summary>The CA certificate, with its private key. Owned by this instance.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A self-signed root valid from a day before <paramref name="now"/> for
    /// <paramref name="lifetime"/> (default 10 years) after it.</summary>
    public static CertificateAuthority CreateRoot(string commonName, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        using var key = KeyPair.Create(KeyKind.EcdsaP256);
        var request = AuthorityProfile.CreateRequest(commonName, key, pathLength: null);
        var notAfter = lifetime is { } span ? now + span : now.AddYears(10);
        return new CertificateAuthority(Issuance.SelfSign(request, key, now - Backdate, notAfter), pathLength: null);
    }

    /// <summary>A CA from an existing certificate with its private key (e.g. a dev CA loaded from disk), taking
    /// ownership of it. Its basicConstraints decide whether it may issue intermediates.</summary>
    /// <exception cref="ArgumentException">The certificate is not a CA or has no private key.</exception>
    public static CertificateAuthority FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true } || !certificate.HasPrivateKey)
        {
            throw new ArgumentException($"{certificate.Subject} is not a CA certificate with its private key", nameof(certificate));
        }

        return new CertificateAuthority(certificate, constraints.HasPathLengthConstraint ? constraints.PathLengthConstraint : null);
    }

    /// <summary>An intermediate CA (pathLen 0) signed by this CA, valid from a day before <paramref name="now"/>
    /// for <paramref name="lifetime"/> (default 10 years), cut to this CA's own validity: a CA nobody gave dates for
    /// should never be the fault. A short lifetime makes the intermediate that expires before its leaves.</summary>
    /// <exception cref="InvalidOperationException">This CA is itself limited to issuing leaves.</exception>
    public CertificateAuthority CreateIntermediate(string commonName, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pathLength == 0)
        {
            throw new InvalidOperationException(
                $"{Certificate.Subject} has pathLen 0 and cannot issue CA certificates");
        }

        DateTimeOffset issuerNotBefore = Certificate.NotBefore;
        DateTimeOffset issuerNotAfter = Certificate.NotAfter;
        var notBefore = now - Backdate > issuerNotBefore ? now - Backdate : issuerNotBefore;
        var wanted = lifetime is { } span ? now + span : now.AddYears(10);
        var notAfter = wanted < issuerNotAfter ? wanted : issuerNotAfter;
        using var key = KeyPair.Create(KeyKind.EcdsaP256);
        var request = AuthorityProfile.CreateRequest(commonName, key, pathLength: 0);
        return new CertificateAuthority(Issuance.Sign(request, key, Certificate, notBefore, notAfter), pathLength: 0);
    }

    /// <summary>A leaf signed by this CA, with a fresh private key. The spec's dates are used as given even
    /// when they fall outside this CA's validity (a leaf outliving its issuer is a defect the lab reproduces);
    /// the caller decides, nothing is clamped.</summary>
    public X509Certificate2 Issue(LeafSpec spec)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var key = KeyPair.Create(spec.Key);
        var request = LeafProfile.CreateRequest(spec, key);
        return Issuance.Sign(request, key, Certificate, spec.NotBefore, spec.NotAfter);
    }

    public void Dispose()
    {
        _disposed = true;
        Certificate.Dispose();
    }
}
