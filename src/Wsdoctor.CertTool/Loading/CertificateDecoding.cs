using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Loading;

/// <summary>X509Certificate2 decodes most fields only when they are read, so a certificate whose outer structure
/// parses can still throw later from its validity dates, its public key or an extension. Every certificate
/// wsdoctor is given (a file, a server's chain) goes through <see cref="Problem"/> first, so that the inspection
/// that follows never meets an undecodable field: the certificate is refused with one line instead.</summary>
public static class CertificateDecoding
{
    /// <summary>Null when every field the inspection reads decodes; otherwise what does not.</summary>
    public static Text? Problem(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var field = T("the validity dates", "有效期");
        try
        {
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
            field = T("the subject or issuer", "主体或颁发者");
            _ = certificate.Subject;
            _ = certificate.Issuer;
            _ = certificate.SubjectName.Format(multiLine: false);
            field = T("the public key", "公钥");
            using (var rsa = certificate.GetRSAPublicKey())
            using (var ec = certificate.GetECDsaPublicKey())
            {
                _ = rsa?.KeySize ?? ec?.KeySize;
            }

            _ = certificate.SignatureAlgorithm.FriendlyName;
            foreach (var extension in certificate.Extensions)
            {
                field = T($"the extension {extension.Oid?.Value}", $"扩展 {extension.Oid?.Value}");
                Decode(extension);
            }

            return null;
        }
        catch (CryptographicException e)
        {
            var message = e.Message.ReplaceLineEndings(" ");
            return T($"{field} cannot be decoded ({message})", $"无法解码{field}（{message}）");
        }
    }

    private static void Decode(X509Extension extension)
    {
        switch (extension)
        {
            case X509SubjectAlternativeNameExtension san:
                _ = san.EnumerateDnsNames().Count() + san.EnumerateIPAddresses().Count();
                break;
            case X509AuthorityInformationAccessExtension aia:
                _ = aia.EnumerateCAIssuersUris().Count() + aia.EnumerateOcspUris().Count();
                break;
            case X509BasicConstraintsExtension constraints:
                _ = constraints.CertificateAuthority && constraints.HasPathLengthConstraint && constraints.PathLengthConstraint > 0;
                break;
            case X509EnhancedKeyUsageExtension eku:
                _ = eku.EnhancedKeyUsages.Count;
                break;
            case X509SubjectKeyIdentifierExtension ski:
                _ = ski.SubjectKeyIdentifier;
                break;
            case X509AuthorityKeyIdentifierExtension aki:
                _ = aki.KeyIdentifier;
                break;
            case X509KeyUsageExtension usage:
                _ = usage.KeyUsages;
                break;
        }

        _ = extension.Format(multiLine: false);
    }
}
