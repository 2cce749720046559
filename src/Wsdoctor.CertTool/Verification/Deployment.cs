using System.Security.Cryptography;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Verification;

/// <summary>The result of <c>cert verify</c>: the inspection, the key check, every host, and how to load the files.</summary>
/// <param name="Checks">One line per check, passed or not, in the order they were made.</param>
/// <param name="LoadFirst">When the files cannot be loaded as they are: the command that makes the file to load.</param>
public sealed record Deployment(
    CertInspection Inspection,
    IReadOnlyList<(bool Passed, Text Text)> Checks,
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
        var checks = new List<(bool, Text)>();
        var certificates = loaded.Certificates.Select(c => c.Certificate).ToArray();
        var structure = ChainStructure.Of(certificates);
        if (!structure.HasLeaf)
        {
            return new Deployment(inspection, [(false, T("no leaf certificate in the files", "文件中没有叶子证书"))], [], null);
        }

        var leaf = certificates[structure.LeafIndex];
        var key = keyFile ?? loaded.KeyFile;
        if (key is null)
        {
            checks.Add((false, T("private key: not checked (give it with --key KEY)", "私钥：未检查（用 --key KEY 指定）")));
        }
        else
        {
            var publicKey = KeyMatch.PublicKeyOf(key);
            var owner = Array.FindIndex(certificates, c => KeyMatch.Matches(publicKey, c));
            if (owner == structure.LeafIndex)
            {
                var file = Path.GetFileName(key);
                checks.Add((true, owner == 0
                    ? T($"private key {file} belongs to the leaf", $"私钥 {file} 属于叶子证书")
                    : T($"private key {file} belongs to the leaf (#{owner + 1}; but the leaf must come first)", $"私钥 {file} 属于叶子证书（#{owner + 1}；但叶子证书必须放在最前面）")));
            }
            else
            {
                findings.Insert(0, KeyMismatch(key, publicKey, leaf, owner, certificates));
                var file = Path.GetFileName(key);
                checks.Add((false, T($"private key {file} does not belong to the leaf", $"私钥 {file} 不属于叶子证书")));
            }
        }

        checks.Add((structure.LeafFirst, structure.LeafFirst ? T("leaf first", "叶子证书在最前面")
            : T($"leaf first: no, it is #{structure.LeafIndex + 1}", $"叶子证书在最前面：否，它是第 #{structure.LeafIndex + 1} 个")));
        checks.Add((TrustedAsWritten(inspection),
            TrustedAsWritten(inspection) ? T($"chain complete: {inspection.TrustedPath}", $"证书链完整：{inspection.TrustedPath}")
            : inspection.TrustedPath is not null ? T("chain complete: no, the intermediate had to be downloaded (AIA)", "证书链完整：否，中间证书是下载来的（AIA）")
            : T($"chain complete and trusted by {inspection.TrustStore}: no", $"证书链完整且受信任（{inspection.TrustStoreText}）：否")));
        var names = CertificateNames.Of(leaf);
        foreach (var host in hosts)
        {
            var covered = names.HasSan && names.Covers(host);
            checks.Add((covered, covered ? T($"covers {host}", $"覆盖 {host}") : T($"covers {host}: no", $"覆盖 {host}：否")));
            if (!covered && host != hosts[0])
            {
                findings.AddRange(CertificateAnalysis.Analyze(leaf, [leaf], host, settings.Roots, settings.Now)
                    .Where(f => f.Code is Codes.TlsNameMismatch or Codes.TlsIpNotInSan));
            }
        }

        if (hosts.Count == 0)
        {
            var all = string.Join(", ", names.All);
            checks.Add((names.HasSan, names.HasSan ? T($"names (no --host given): {all}", $"名称（未指定 --host）：{all}") : T("names: none in a SAN (CN-only)", "名称：SAN 中没有（只有 CN）")));
        }

        var expiredOrNot = findings.FirstOrDefault(f => f.Code is Codes.TlsExpired or Codes.TlsNotYetValid or Codes.TlsExpiringSoon);
        var until = CertificateAnalysis.Stamp(new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        var daysLeft = inspection.Certificates[structure.LeafIndex].DaysLeft;
        checks.Add((expiredOrNot is null, expiredOrNot is null
            ? T($"valid until {until} ({daysLeft:0} days left)", $"有效期至 {until}（还剩 {daysLeft:0} 天）")
            : T($"validity: {expiredOrNot.Message}", $"有效期：{expiredOrNot.Message}")));

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
        var file = Path.GetFileName(keyFile);
        var leafName = CertificateAnalysis.Short(leaf.Subject);
        return Finding.Create(Codes.TlsKeyMismatch,
            T($"{file} is not the private key of '{leafName}'", $"{file} 不是 '{leafName}' 的私钥"),
            [T($"public key of {file}: sha256 {keyHash}…", $"{file} 的公钥：sha256 {keyHash}…"),
             T($"public key of the leaf '{leafName}': sha256 {leafHash}…", $"叶子证书 '{leafName}' 的公钥：sha256 {leafHash}…"),
             owner >= 0 ? T($"the key belongs to #{owner + 1} '{CertificateAnalysis.Short(certificates[owner].Subject)}'", $"这个私钥属于 #{owner + 1} '{CertificateAnalysis.Short(certificates[owner].Subject)}'")
                 : T("it belongs to no certificate in the files", "它不属于文件中的任何证书"),
             T("nginx: SSL_CTX_use_PrivateKey failed (key values mismatch); Python: [X509: KEY_VALUES_MISMATCH]; Node: key values mismatch",
               "nginx 报错 \"SSL_CTX_use_PrivateKey failed (key values mismatch)\"；Python 报错 \"[X509: KEY_VALUES_MISMATCH]\"；Node 报错 \"key values mismatch\"")],
            data: new Dictionary<string, object?> { ["keyFile"] = keyFile, ["keySha256"] = keyHash, ["leafKeySha256"] = leafHash });
    }
}
