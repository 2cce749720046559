using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>The signing step shared by roots, intermediates and leaves: key identifiers, serial number, dates,
/// signature, private key attached.</summary>
internal static class Issuance
{
    /// <summary>Signs <paramref name="request"/> with <paramref name="issuer"/>'s private key.</summary>
    public static X509Certificate2 Sign(
        CertificateRequest request,
        KeyPair subjectKey,
        X509Certificate2 issuer,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        AddSubjectKeyIdentifier(request);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issuerKey = KeyPair.PrivateKeyOf(issuer);
        return Create(request, subjectKey, issuer.SubjectName, issuerKey.CreateSignatureGenerator(), notBefore, notAfter);
    }

    /// <summary>Signs <paramref name="request"/> with its own key: issuer equals subject.</summary>
    public static X509Certificate2 SelfSign(
        CertificateRequest request,
        KeyPair key,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        var subjectKeyIdentifier = AddSubjectKeyIdentifier(request);
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyIdentifier));
        return Create(request, key, request.SubjectName, key.CreateSignatureGenerator(), notBefore, notAfter);
    }

    // Chain builders (OpenSSL, CryptoAPI, browsers) match a certificate to its issuer by AKI == issuer's SKI
    // before falling back to names, so every certificate gets both.
    private static X509SubjectKeyIdentifierExtension AddSubjectKeyIdentifier(CertificateRequest request)
    {
        var extension = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(extension);
        return extension;
    }

    // This overload of CertificateRequest.Create, unlike the one taking the issuer certificate, does not insist
    // that the validity nests inside the issuer's: the fault lab needs leaves that are expired, not yet valid,
    // or outlive their CA exactly as specified.
    private static X509Certificate2 Create(
        CertificateRequest request,
        KeyPair subjectKey,
        X500DistinguishedName issuerName,
        X509SignatureGenerator generator,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        var certificate = request.Create(issuerName, generator, notBefore, notAfter, SerialNumber.NewRandom());
        return subjectKey.AttachTo(certificate);
    }
}
