using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.CertTool.Completion;
using Wsdoctor.CertTool.Dev;

namespace Wsdoctor.Reports.Cert;

/// <summary><c>wsdoctor cert chain|dev --json</c>: what the command did, as one object in the shape of
/// <see cref="CertJsonReport"/> (same <c>schemaVersion</c>, <c>tool</c>, <c>command</c>, <c>verdict</c>).</summary>
public static class CertActionJsonReport
{
    /// <param name="written">The file the chain went to; null when it is in <c>pem</c> (no --out) or nothing was written.</param>
    public static string Chain(ChainCompletion completion, string trustStore, string? written)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return ReportJson.Serialize(new ChainDocument(
            CertJsonReport.SchemaVersion,
            "wsdoctor",
            "cert chain",
            completion.Trusted ? "ok" : "fail",
            completion.Trusted,
            trustStore,
            completion.TrustedPath,
            completion.Steps,
            [.. completion.Chain.Select((c, i) => new ChainLink(
                i + 1,
                i == 0 ? "leaf" : "intermediate",
                completion.Added.Contains(c),
                c.Subject,
                c.Issuer,
                NotAfter(c),
                Sha256(c)))],
            completion.Trusted ? written : null,
            completion.Trusted && written is null ? Certificates.Pem.ExportChain(completion.Chain) : null));
    }

    /// <summary>One <c>cert dev</c> run: the CA used or created, what --install/--uninstall changed, the leaf issued.</summary>
    public sealed record DevRun(
        Certificates.DevAuthority Ca,
        string Action,
        TrustInstaller.Outcome? Trust,
        IReadOnlyList<Findings.Text> Environment,
        IReadOnlyList<string>? Names,
        DevLeaf.Written? Issued);

    public static string Dev(DevRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ok = run.Trust is null || run.Trust.Problems.Count == 0;
        return ReportJson.Serialize(new DevDocument(
            CertJsonReport.SchemaVersion,
            "wsdoctor",
            "cert dev",
            run.Action,
            ok ? "ok" : "fail",
            new DevCa(
                run.Ca.CaPath,
                Path.Combine(run.Ca.Directory, Certificates.DevAuthority.CaKeyFile),
                run.Ca.Created,
                run.Ca.Authority.Certificate.Subject,
                NotAfter(run.Ca.Authority.Certificate),
                Sha256(run.Ca.Authority.Certificate)),
            English(run.Trust?.Changed),
            English(run.Trust?.Skipped),
            English(run.Trust?.Problems),
            English(run.Environment),
            run.Issued is { } leaf
                ? new DevIssued(
                    run.Names,
                    leaf.CertificateFile,
                    leaf.KeyFile,
                    NotAfter(leaf.Leaf),
                    Sha256(leaf.Leaf),
                    $"wsdoctor serve --tls-cert {leaf.CertificateFile} --tls-key {leaf.KeyFile}")
                : null));
    }

    private static string[] English(IReadOnlyList<Findings.Text>? texts) => texts is null ? [] : [.. texts.Select(t => t.En)];

    private static DateTimeOffset NotAfter(X509Certificate2 c) => new(c.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    private static string Sha256(X509Certificate2 c) => c.GetCertHashString(HashAlgorithmName.SHA256);

    public sealed record ChainDocument(
        int SchemaVersion,
        string Tool,
        string Command,
        string Verdict,
        bool Trusted,
        string TrustStore,
        string? TrustedPath,
        IReadOnlyList<string> Steps,
        IReadOnlyList<ChainLink> Chain,
        string? Written,
        string? Pem);

    public sealed record ChainLink(int Position, string Role, bool Added, string Subject, string Issuer, DateTimeOffset NotAfter, string Sha256);

    public sealed record DevDocument(
        int SchemaVersion,
        string Tool,
        string Command,
        string Action,
        string Verdict,
        DevCa Ca,
        IReadOnlyList<string> StoresChanged,
        IReadOnlyList<string> StoresUnchanged,
        IReadOnlyList<string> Problems,
        IReadOnlyList<string> Environment,
        DevIssued? Issued);

    public sealed record DevCa(string Path, string KeyPath, bool Created, string Subject, DateTimeOffset NotAfter, string Sha256);

    public sealed record DevIssued(IReadOnlyList<string>? Names, string Certificate, string Key, DateTimeOffset NotAfter, string Sha256, string Serve);
}
