using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Inspection;

/// <summary>One certificate as <c>cert inspect</c> shows it: what openssl x509 -text prints, reduced to what decides
/// whether a TLS client accepts it.</summary>
public sealed record CertificateDetails(
    int Position,
    string Origin,
    string Role,
    string Subject,
    string Issuer,
    IReadOnlyList<string> SubjectAltNames,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    double DaysLeft,
    string Key,
    string SignatureAlgorithm,
    string? SubjectKeyId,
    string? AuthorityKeyId,
    IReadOnlyList<string> CaIssuers,
    IReadOnlyList<string> Ocsp,
    string BasicConstraints,
    IReadOnlyList<string> ExtendedKeyUsage,
    string? NameConstraints,
    string Sha256,
    string? SignedBy)
{
    private const string NameConstraintsOid = "2.5.29.30";

    /// <summary>What <see cref="BasicConstraints"/> says when the extension is absent.</summary>
    public const string NoBasicConstraints = "(none)";

    /// <summary><see cref="Origin"/> for the report (the JSON keeps <see cref="Origin"/>).</summary>
    [JsonIgnore]
    public Text OriginText { get; init; } = Text.Empty;

    /// <summary><see cref="Role"/> for the report: leaf, intermediate, root, unrelated, leaf?.</summary>
    [JsonIgnore]
    public Text RoleText => Role switch
    {
        "leaf" => T("leaf", "叶子证书"),
        "intermediate" => T("intermediate", "中间证书"),
        "root" => T("root", "根证书"),
        "unrelated" => T("unrelated", "无关证书"),
        "leaf?" => T("leaf?", "叶子证书？"),
        _ => Verbatim(Role),
    };

    /// <summary><see cref="BasicConstraints"/> for the report.</summary>
    [JsonIgnore]
    public Text BasicConstraintsText => BasicConstraints == NoBasicConstraints ? T(NoBasicConstraints, "（无）") : Verbatim(BasicConstraints);

    public static CertificateDetails Of(SourcedCertificate sourced, int position, string role, string? signedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sourced);
        var c = sourced.Certificate;
        var san = c.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var aia = c.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault();
        var constraints = c.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var eku = c.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var notAfter = new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return new CertificateDetails(
            position,
            sourced.Origin,
            role,
            c.Subject,
            c.Issuer,
            san is null ? [] : [.. san.EnumerateDnsNames().Select(n => "DNS:" + n), .. san.EnumerateIPAddresses().Select(ip => "IP:" + ip)],
            new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            notAfter,
            Math.Round((notAfter - now).TotalDays, 1),
            KeyText(c),
            c.SignatureAlgorithm.FriendlyName ?? c.SignatureAlgorithm.Value ?? "?",
            c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier,
            c.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier is { } aki ? Convert.ToHexString(aki.Span) : null,
            aia?.EnumerateCAIssuersUris().ToArray() ?? [],
            aia?.EnumerateOcspUris().ToArray() ?? [],
            constraints is null ? NoBasicConstraints : constraints.CertificateAuthority ? (constraints.HasPathLengthConstraint ? $"CA:TRUE, pathlen:{constraints.PathLengthConstraint}" : "CA:TRUE") : "CA:FALSE",
            eku is null ? [] : eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.FriendlyName ?? o.Value ?? "?").ToArray(),
            c.Extensions.FirstOrDefault(e => e.Oid?.Value == NameConstraintsOid)?.Format(multiLine: false),
            c.GetCertHashString(HashAlgorithmName.SHA256),
            signedBy)
        {
            OriginText = sourced.OriginText,
        };
    }

    public static string KeyText(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return $"RSA {rsa.KeySize}";
            }
        }

        using (var ec = certificate.GetECDsaPublicKey())
        {
            if (ec is not null)
            {
                var curve = ec.ExportParameters(false).Curve;
                return $"EC {CurveName(curve.Oid?.FriendlyName ?? curve.Oid?.Value)} ({ec.KeySize} bits)";
            }
        }

        return certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown key";
    }

    // The platform's names (ECDSA_P256 on Linux, nistP256 on Windows) for the NIST curves TLS uses.
    private static string CurveName(string? name) => name switch
    {
        "ECDSA_P256" or "nistP256" or "1.2.840.10045.3.1.7" => "P-256",
        "ECDSA_P384" or "nistP384" or "1.3.132.0.34" => "P-384",
        "ECDSA_P521" or "nistP521" or "1.3.132.0.35" => "P-521",
        _ => name ?? "?",
    };
}
