using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
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
        return JsonSerializer.Serialize(new
        {
            schemaVersion = CertJsonReport.SchemaVersion,
            tool = "wsdoctor",
            command = "cert chain",
            verdict = completion.Trusted ? "ok" : "fail",
            trusted = completion.Trusted,
            trustStore,
            trustedPath = completion.TrustedPath,
            steps = completion.Steps,
            chain = completion.Chain.Select((c, i) => new
            {
                position = i + 1,
                role = i == 0 ? "leaf" : "intermediate",
                added = completion.Added.Contains(c),
                subject = c.Subject,
                issuer = c.Issuer,
                notAfter = NotAfter(c),
                sha256 = Sha256(c),
            }),
            written = completion.Trusted ? written : null,
            pem = completion.Trusted && written is null ? Certificates.Pem.ExportChain(completion.Chain) : null,
        }, JsonReport.Options);
    }

    /// <summary>One <c>cert dev</c> run: the CA used or created, what --install/--uninstall changed, the leaf issued.</summary>
    public sealed record DevRun(
        Certificates.DevAuthority Ca,
        string Action,
        TrustInstaller.Outcome? Trust,
        IReadOnlyList<string> Environment,
        IReadOnlyList<string>? Names,
        DevLeaf.Written? Issued);

    public static string Dev(DevRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ok = run.Trust is null || run.Trust.Problems.Count == 0;
        return JsonSerializer.Serialize(new
        {
            schemaVersion = CertJsonReport.SchemaVersion,
            tool = "wsdoctor",
            command = "cert dev",
            action = run.Action,
            verdict = ok ? "ok" : "fail",
            ca = new
            {
                path = run.Ca.CaPath,
                keyPath = Path.Combine(run.Ca.Directory, Certificates.DevAuthority.CaKeyFile),
                created = run.Ca.Created,
                subject = run.Ca.Authority.Certificate.Subject,
                notAfter = NotAfter(run.Ca.Authority.Certificate),
                sha256 = Sha256(run.Ca.Authority.Certificate),
            },
            storesChanged = run.Trust?.Changed ?? [],
            storesUnchanged = run.Trust?.Skipped ?? [],
            problems = run.Trust?.Problems ?? [],
            environment = run.Environment,
            issued = run.Issued is { } leaf ? new
            {
                names = run.Names,
                certificate = leaf.CertificateFile,
                key = leaf.KeyFile,
                notAfter = NotAfter(leaf.Leaf),
                sha256 = Sha256(leaf.Leaf),
                serve = $"wsdoctor serve --tls-cert {leaf.CertificateFile} --tls-key {leaf.KeyFile}",
            } : null,
        }, JsonReport.Options);
    }

    private static DateTimeOffset NotAfter(X509Certificate2 c) => new(c.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    private static string Sha256(X509Certificate2 c) => c.GetCertHashString(HashAlgorithmName.SHA256);
}
