using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

/// <summary>Typed access to the extensions the tests check.</summary>
internal static class CertificateInspection
{
    public static T Extension<T>(this X509Certificate2 certificate)
        where T : X509Extension =>
        Assert.Single(certificate.Extensions.OfType<T>());

    public static byte[] SubjectKeyId(this X509Certificate2 certificate) =>
        certificate.Extension<X509SubjectKeyIdentifierExtension>().SubjectKeyIdentifierBytes.ToArray();

    public static byte[] AuthorityKeyId(this X509Certificate2 certificate) =>
        certificate.Extension<X509AuthorityKeyIdentifierExtension>().KeyIdentifier?.ToArray()
        ?? throw new InvalidOperationException("AKI has no key identifier");

    public static string[] EkuOids(this X509Certificate2 certificate) =>
        certificate.Extension<X509EnhancedKeyUsageExtension>().EnhancedKeyUsages
            .Cast<System.Security.Cryptography.Oid>().Select(o => o.Value ?? "").ToArray();

    public static DateTimeOffset NotBeforeUtc(this X509Certificate2 certificate) =>
        new(certificate.NotBefore.ToUniversalTime());

    public static DateTimeOffset NotAfterUtc(this X509Certificate2 certificate) =>
        new(certificate.NotAfter.ToUniversalTime());

    public static DateTimeOffset TruncatedToSecond(this DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);
}
