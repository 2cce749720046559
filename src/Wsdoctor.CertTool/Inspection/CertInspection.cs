using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.CertTool.Inspection;

/// <summary>Everything <c>cert inspect</c> (and <c>cert verify</c>) found about one chain.</summary>
/// <param name="TrustStore">What "trusted" was decided against: the system store or the --ca file.</param>
/// <param name="Aia">What following the caIssuers URLs did, when the chain was incomplete.</param>
public sealed record CertInspection(
    LoadedChain Chain,
    IReadOnlyList<CertificateDetails> Certificates,
    IReadOnlyList<Finding> Findings,
    ChainFacts Facts,
    IReadOnlyList<ClientVerdict> Clients,
    string? TrustedPath,
    string TrustStore,
    IReadOnlyList<Text> Aia)
{
    /// <summary>The value of <see cref="TrustStore"/> the system store is written as.</summary>
    public const string SystemTrustStore = "the system trust store";

    public bool Failed => Findings.Any(f => f.Severity == Severity.Error);

    /// <summary><see cref="TrustStore"/> for the report: the --ca file as given, the system store in words.</summary>
    public Text TrustStoreText => TrustStore == SystemTrustStore ? Text.T(SystemTrustStore, "系统信任库") : Text.Verbatim(TrustStore);
}
