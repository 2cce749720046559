using System.Security.Cryptography;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.CertTool.Verification;

/// <summary>The result of <c>cert verify</c>: the inspection, the key check, every host, and how to load the files.</summary>
/// <param name="Checks">One line per check, passed or not, in the order they were made.</param>
/// <param name="LoadFirst">When the files cannot be loaded as they are: the command that makes the file to load.</param>
public sealed record Deployment(
    CertInspection Inspection,
    IReadOnlyList<(bool Passed, string Text)> Checks,
    IReadOnlyList<(string Server, IReadOnlyList<string> Lines)> Snippets,
    string? LoadFirst)
{
    /// <summary>Errors and warnings fail a deployment check; informational findings (a root included) do not.</summary>
    public bool Passed => Checks.All(c => c.Passed) && Inspection.Findings.All(f => f.Severity == Severity.Info);

    public static async Task<Deployment> VerifyAsync(LoadedChain loaded, string? keyFile, IReadOnlyList<string> hosts, ChainEvaluation.Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(settings);
        var inspection = await ChainEvaluation.EvaluateAsync(loaded, settings with { Host = hosts.Count > 0 ? hosts[0] : null }, cancellationToken).ConfigureAwait(false);
        var findings = inspection.Findings.ToList();
        var checks = new List<(bool, string)>();
        var certificates = loaded.Certificates.Select(c => c.Certificate).ToArray();
        var structure = ChainStructure.Of(certificates);
        if (!structure.HasLeaf)
        {
            return new Deployment(inspection, [(false, "no leaf certificate in the files")], [], null);
        }

        var leaf = certificates[structure.LeafIndex];
        var key = keyFile ?? loaded.KeyFile;
        if (key is null)
        {
            checks.Add((false, "private key: not checked (give it with --key KEY)"));
        }
        else
        {
            var publicKey = KeyMatch.PublicKeyOf(key);
            var owner = Array.FindIndex(certificates, c => KeyMatch.Matches(publicKey, c));
            if (owner == structure.LeafIndex)
            {
                checks.Add((true, $"private key {Path.GetFileName(key)} belongs to the leaf{(owner == 0 ? "" : $" (#{owner + 1}; but the leaf must come first)")}"));
            }
            else
            {
                findings.Insert(0, KeyMismatch(key, publicKey, leaf, owner, certificates));
                checks.Add((false, $"private key {Path.GetFileName(key)} does not belong to the leaf"));
            }
        }

        checks.Add((structure.LeafFirst, structure.LeafFirst ? "leaf first" : $"leaf first: no, it is #{structure.LeafIndex + 1}"));
        checks.Add((TrustedAsWritten(inspection),
            TrustedAsWritten(inspection) ? $"chain complete: {inspection.TrustedPath}"
            : inspection.TrustedPath is not null ? "chain complete: no, the intermediate had to be downloaded (AIA)"
            : $"chain complete and trusted by {inspection.TrustStore}: no"));
        var names = CertificateNames.Of(leaf);
        foreach (var host in hosts)
        {
            var covered = names.HasSan && names.Covers(host);
            checks.Add((covered, covered ? $"covers {host}" : $"covers {host}: no"));
            if (!covered && host != hosts[0])
            {
                findings.AddRange(CertificateAnalysis.Analyze(leaf, [leaf], host, settings.Roots, settings.Now)
                    .Where(f => f.Code is Codes.TlsNameMismatch or Codes.TlsIpNotInSan));
            }
        }

        if (hosts.Count == 0)
        {
            checks.Add((names.HasSan, names.HasSan ? $"names (no --host given): {string.Join(", ", names.All)}" : "names: none in a SAN (CN-only)"));
        }

        var expiredOrNot = findings.FirstOrDefault(f => f.Code is Codes.TlsExpired or Codes.TlsNotYetValid or Codes.TlsExpiringSoon);
        checks.Add((expiredOrNot is null, expiredOrNot is null
            ? $"valid until {CertificateAnalysis.Stamp(new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero))} ({inspection.Certificates[structure.LeafIndex].DaysLeft:0} days left)"
            : $"validity: {expiredOrNot.Message}"));

        var facts = inspection.Facts with
        {
            KeyMismatch = findings.Any(f => f.Code == Codes.TlsKeyMismatch),
            Name = hosts.Skip(1).Any(h => !(names.HasSan && names.Covers(h))) ? NameCoverage.NotCovered : inspection.Facts.Name,
        };
        inspection = inspection with { Findings = findings, Facts = facts, Clients = ClientVerdicts.Judge(facts) };

        var (chainFile, loadFirst) = FileToLoad(loaded, inspection, structure);
        var snippets = key is null ? [] : ServerSnippets.For(chainFile, key);
        return new Deployment(inspection, checks, snippets, loadFirst);
    }

    private static bool TrustedAsWritten(CertInspection inspection) => inspection.Facts.TrustedAsSent;

    private static (string File, string? LoadFirst) FileToLoad(LoadedChain loaded, CertInspection inspection, ChainStructure structure)
    {
        var files = loaded.Source.Split(" + ");
        var fullchain = loaded.KeyFile is not null ? Path.Combine(loaded.Source, "fullchain.pem") : files[0];
        if (!inspection.Facts.TrustedAsSent && inspection.Facts.TrustedWithAia)
        {
            return ("fullchain.pem", $"wsdoctor cert chain {files[0]} --out fullchain.pem");
        }

        if (files.Length > 1)
        {
            return ("fullchain.pem", $"cat {string.Join(' ', files)} > fullchain.pem");
        }

        return !structure.LeafFirst ? ("fullchain.pem", $"wsdoctor cert chain {files[0]} --out fullchain.pem") : (fullchain, null);
    }

    private static Finding KeyMismatch(string keyFile, byte[] publicKey, System.Security.Cryptography.X509Certificates.X509Certificate2 leaf, int owner, System.Security.Cryptography.X509Certificates.X509Certificate2[] certificates)
    {
        var keyHash = Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];
        var leafHash = Convert.ToHexStringLower(SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo()))[..16];
        return Finding.Create(Codes.TlsKeyMismatch,
            $"{Path.GetFileName(keyFile)} is not the private key of '{CertificateAnalysis.Short(leaf.Subject)}'",
            [$"public key of {Path.GetFileName(keyFile)}: sha256 {keyHash}…", $"public key of the leaf '{CertificateAnalysis.Short(leaf.Subject)}': sha256 {leafHash}…",
             owner >= 0 ? $"the key belongs to #{owner + 1} '{CertificateAnalysis.Short(certificates[owner].Subject)}'" : "it belongs to no certificate in the files",
             "nginx: SSL_CTX_use_PrivateKey failed (key values mismatch); Python: [X509: KEY_VALUES_MISMATCH]; Node: key values mismatch"],
            data: new Dictionary<string, object?> { ["keyFile"] = keyFile, ["keySha256"] = keyHash, ["leafKeySha256"] = leafHash });
    }
}
