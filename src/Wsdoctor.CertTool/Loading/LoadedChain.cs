using Wsdoctor.Findings;

namespace Wsdoctor.CertTool.Loading;

public enum ChainSourceKind
{
    /// <summary>As a server sent it in its TLS Certificate message.</summary>
    Served,

    /// <summary>As found in files (PEM, DER, PKCS#7, a certbot live/ directory).</summary>
    Files,
}

/// <summary>The certificates to judge, in the order served or found, and the host they must cover when that is known.</summary>
/// <param name="Notes">What was seen on the way (a certbot layout, symlinks, a private key skipped), for the report.</param>
/// <param name="KeyFile">A private key found next to the certificates (certbot privkey.pem), for verify.</param>
public sealed record LoadedChain(
    string Source,
    ChainSourceKind Kind,
    IReadOnlyList<SourcedCertificate> Certificates,
    string? Host,
    IReadOnlyList<Text> Notes,
    string? KeyFile = null);
