using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>The extensions of a CA certificate.</summary>
internal static class AuthorityProfile
{
    /// <param name="pathLength">How many intermediate CAs may follow below this one; null for no limit.</param>
    public static CertificateRequest CreateRequest(string commonName, KeyPair key, int? pathLength)
    {
        var request = key.CreateRequest(DistinguishedName.FromCommonName(commonName));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: true,
            hasPathLengthConstraint: pathLength.HasValue,
            pathLengthConstraint: pathLength ?? 0,
            critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request;
    }
}
