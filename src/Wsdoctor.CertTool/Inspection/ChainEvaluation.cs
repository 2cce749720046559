using System.Security.Cryptography.X509Certificates;
using Wsdoctor.CertTool.Completion;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Inspection;

/// <summary>What the chain's problems are (the catalogue's tls.* findings, from the same <see cref="CertificateAnalysis"/>
/// check uses) and what each client will do with it (<see cref="ClientVerdicts"/>).</summary>
public static class ChainEvaluation
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    public sealed record Settings
    {
        /// <summary>The name the certificate must cover (verify's --host, or the URL's host).</summary>
        public string? Host { get; init; }

        public X509Certificate2Collection? Roots { get; init; }

        public string? RootsFile { get; init; }

        /// <summary>Follow caIssuers URLs for an incomplete chain (off: --offline).</summary>
        public bool UseNetwork { get; init; } = true;

        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

        public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
    }

    public static async Task<CertInspection> EvaluateAsync(LoadedChain loaded, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(settings);
        var certificates = loaded.Certificates.Select(c => c.Certificate).ToArray();
        var structure = ChainStructure.Of(certificates);
        var host = settings.Host ?? loaded.Host;
        var details = loaded.Certificates.Select((c, i) => CertificateDetails.Of(c, i + 1, Role(structure, certificates, i),
            structure.SignedBy[i] is { } s ? $"#{s + 1}" : null, settings.Now)).ToList();
        var trustStore = settings.RootsFile is { } file ? $"--ca {file}" : "the system trust store";
        var where = loaded.Kind == ChainSourceKind.Served ? "sent" : "files";
        var findings = new List<Finding>();
        if (!structure.HasLeaf)
        {
            var list = string.Join(", ", certificates.Select(c => CertificateAnalysis.Short(c.Subject)));
            var none = Finding.Create(Codes.TlsChainOrder,
                T("every certificate here is a CA: there is no leaf (server certificate) to judge", "这里的每个证书都是 CA：没有可供检查的叶子证书（服务端证书）"),
                [loaded.Kind == ChainSourceKind.Served ? T($"{where}: {list}", $"服务端发送：{list}") : T($"{where}: {list}", $"文件中：{list}")],
                T("Inspect the server's own certificate or the full chain (fullchain.pem), not chain.pem.",
                  "请检查服务端自己的证书或完整证书链（fullchain.pem），而不是 chain.pem。"),
                new Dictionary<string, object?> { ["kind"] = "no-leaf" }, Severity.Warning);
            return new CertInspection(loaded, details, [none], new ChainFacts(), [], null, trustStore, []);
        }

        var leaf = certificates[structure.LeafIndex];
        var sent = structure.Path.Select(i => certificates[i]).Concat(certificates.Where((_, i) => !structure.Path.Contains(i))).ToArray();
        var analysis = CertificateAnalysis.Analyze(leaf, sent, host, settings.Roots, settings.Now, fromFiles: loaded.Kind == ChainSourceKind.Files);
        // The client table below replaces the one-line guess at who papers over an incomplete chain.
        findings.AddRange(analysis.Select(f => f with { Evidence = f.Evidence.Where(e => !e.Equals(CertificateAnalysis.BrowsersMayFetchAia)).ToArray() }));
        findings.AddRange(structure.Findings(certificates, where));

        var trustedPath = TrustCheck.TrustedPath(leaf, certificates, settings.Roots, settings.Now);
        var aia = new List<Text>();
        ChainCompletion? completion = null;
        if (trustedPath is null && !findings.Any(f => f.Code == Codes.TlsSelfSigned))
        {
            completion = await ChainCompleter.CompleteAsync(certificates, [], settings.Roots, settings.Now, settings.UseNetwork, settings.Timeout, cancellationToken).ConfigureAwait(false);
            aia.AddRange(completion.StepTexts);
            if (completion.Trusted)
            {
                aia.Add(T($"with {(completion.Added.Count == 1 ? "it" : "them")} the chain is complete and trusted: {completion.TrustedPath}",
                    $"补上{(completion.Added.Count == 1 ? "它" : "它们")}之后证书链完整且受信任：{completion.TrustedPath}"));
                Confirm(findings);
            }
        }

        var facts = Facts(leaf, host, structure, findings, trustedPath is not null, completion?.Trusted == true, settings.Roots is null);
        return new CertInspection(loaded, details, findings, facts, ClientVerdicts.Judge(facts), trustedPath ?? completion?.TrustedPath, trustStore, aia);
    }

    /// <summary>The same facts check has, for the same rules.</summary>
    public static ChainFacts Facts(X509Certificate2 leaf, string? host, ChainStructure structure, IReadOnlyList<Finding> findings, bool trustedAsSent, bool trustedWithAia, bool publicRoot)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(findings);
        var names = CertificateNames.Of(leaf);
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var untrusted = findings.FirstOrDefault(f => f.Code is Codes.TlsSelfSigned or Codes.TlsUntrustedRoot or Codes.TlsHandshakeFailed);
        return new ChainFacts
        {
            KeyMismatch = findings.Any(f => f.Code == Codes.TlsKeyMismatch),
            LeafNotFirst = !structure.LeafFirst,
            Expired = findings.Any(f => f.Code == Codes.TlsExpired),
            NotYetValid = findings.Any(f => f.Code == Codes.TlsNotYetValid),
            NotForServerAuth = eku is not null && !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value is ServerAuthOid or AnyExtendedKeyUsageOid),
            NameConstraintViolation = findings.Any(f => f.Data.TryGetValue("rule", out var r) && (r as string) == "name-constraints"),
            Name = host is null
                ? names.HasSan ? NameCoverage.NotChecked : NameCoverage.CommonNameOnly
                : names.HasSan && names.Covers(host) ? NameCoverage.Covered
                : names.CoversByCommonNameOnly(host) ? NameCoverage.CommonNameOnly
                : System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _) && names.DnsNames.Contains(host.Trim('[', ']'), StringComparer.OrdinalIgnoreCase) ? NameCoverage.IpWrittenAsDnsName
                : NameCoverage.NotCovered,
            TrustedAsSent = trustedAsSent,
            TrustedWithAia = trustedWithAia,
            PublicRoot = publicRoot,
            UntrustedReason = untrusted?.Message,
        };
    }

    private static string Role(ChainStructure structure, X509Certificate2[] certificates, int i) =>
        i == structure.LeafIndex ? "leaf"
        : i == structure.RootIndex ? "root"
        : structure.Unrelated.Contains(i) ? "unrelated"
        : CertificateLinks.IsCa(certificates[i]) ? "intermediate" : "leaf?";

    /// <summary>An incomplete chain the AIA download completed is no longer a guess.</summary>
    private static void Confirm(List<Finding> findings)
    {
        var index = findings.FindIndex(f => f.Code == Codes.TlsIncompleteChain);
        if (index >= 0)
        {
            var f = findings[index];
            findings[index] = f with { Data = new Dictionary<string, object?>(f.Data) { ["certainty"] = "confirmed" } };
        }
    }
}
