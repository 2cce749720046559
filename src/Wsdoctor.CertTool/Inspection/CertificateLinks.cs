using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.CertTool.Inspection;

/// <summary>Who signed whom, as path builders decide it before checking a signature: the issuer name equals the
/// subject name, and the authority key identifier equals the subject key identifier when both are present
/// (RFC 5280 4.2.1.1). Two intermediates of the same name (a renewed CA, a cross-sign) are told apart by the key ids.</summary>
public static class CertificateLinks
{
    public static bool IsIssuedBy(X509Certificate2 child, X509Certificate2 parent)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(parent);
        if (!child.IssuerName.RawData.AsSpan().SequenceEqual(parent.SubjectName.RawData))
        {
            return false;
        }

        var aki = child.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var ski = parent.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return aki is not { } a || ski is not { } s || a.Span.SequenceEqual(s.Span);
    }

    public static bool IsSelfIssued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return IsIssuedBy(certificate, certificate);
    }

    public static bool IsCa(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };
    }
}
