using System.Security.Cryptography.X509Certificates;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Completion;

/// <summary>A chain completed from a leaf: the missing issuers found in a candidates directory or downloaded from
/// the caIssuers URLs (RFC 5280 4.2.2.1), as Chromium and .NET do, until it reaches a trusted root.</summary>
/// <param name="Chain">Leaf first, then the intermediates in order; never the root.</param>
/// <param name="StepTexts">One line per issuer looked for: where it came from, or why not.</param>
public sealed record ChainCompletion(IReadOnlyList<X509Certificate2> Chain, string? TrustedPath, IReadOnlyList<Text> StepTexts, IReadOnlyList<X509Certificate2> Added)
{
    public bool Trusted => TrustedPath is not null;

    /// <summary><see cref="StepTexts"/> in English, for the JSON.</summary>
    public IReadOnlyList<string> Steps => [.. StepTexts.Select(s => s.En)];
}

public static class ChainCompleter
{
    /// <summary>Public chains are two or three CAs deep; a few more hops bound a loop of cross-signs.</summary>
    public const int MaxHops = 4;

    /// <summary>More would be a CA bundle or a whole system store, not candidates.</summary>
    public const int MaxCandidateFiles = 2000;

    public static async Task<ChainCompletion> CompleteAsync(
        IReadOnlyList<X509Certificate2> given,
        IReadOnlyList<SourcedCertificate> candidates,
        X509Certificate2Collection? roots,
        DateTimeOffset now,
        bool useNetwork,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(candidates);
        var structure = ChainStructure.Of(given);
        var chain = structure.Path.Select(i => given[i]).Where(c => !CertificateLinks.IsSelfIssued(c) || c == given[structure.Path[0]]).ToList();
        var leaf = chain[0];
        var steps = new List<Text>();
        var added = new List<X509Certificate2>();
        var pool = given.Concat(candidates.Select(c => c.Certificate)).ToList();
        for (var hop = 0; hop < MaxHops; hop++)
        {
            if (TrustCheck.TrustedPath(leaf, chain.Skip(1), roots, now) is not null)
            {
                break;
            }

            var top = chain[^1];
            if (CertificateLinks.IsSelfIssued(top))
            {
                var name = CertificateAnalysis.Short(top.Subject);
                steps.Add(T($"'{name}' is self-signed: the chain ends there, untrusted", $"'{name}' 是自签名证书：证书链到此为止，不受信任"));
                break;
            }

            var issuer = pool.FirstOrDefault(c => c != top && CertificateLinks.IsIssuedBy(top, c));
            if (issuer is not null)
            {
                var (child, parent) = (CertificateAnalysis.Short(top.Subject), CertificateAnalysis.Short(issuer.Subject));
                steps.Add(candidates.FirstOrDefault(c => c.Certificate == issuer)?.Origin is { } origin
                    ? T($"issuer of '{child}': '{parent}' from {origin}", $"'{child}' 的签发者：'{parent}'，来自 {origin}")
                    : T($"issuer of '{child}': '{parent}' from the given files", $"'{child}' 的签发者：'{parent}'，来自给定的文件"));
            }
            else if (!useNetwork)
            {
                var issuerName = CertificateAnalysis.Short(top.Issuer);
                steps.Add(CaIssuers(top) is { } u
                    ? T($"no certificate for '{issuerName}' among the candidates (its caIssuers URL {u} was not followed: offline)",
                        $"候选证书中没有 '{issuerName}'（离线模式，没有访问它的 caIssuers URL {u}）")
                    : T($"no certificate for '{issuerName}' among the candidates", $"候选证书中没有 '{issuerName}'"));
                break;
            }
            else if (CaIssuers(top) is not { } url)
            {
                var (name, issuerName) = (CertificateAnalysis.Short(top.Subject), CertificateAnalysis.Short(top.Issuer));
                steps.Add(T($"'{name}' names no caIssuers URL for its issuer '{issuerName}': give it with --candidates DIR",
                    $"'{name}' 没有给出其签发者 '{issuerName}' 的 caIssuers URL：请用 --candidates DIR 提供"));
                break;
            }
            else
            {
                var (downloaded, error) = await AiaDownloader.DownloadAsync(url, timeout, useProxy: true, cancellationToken).ConfigureAwait(false);
                issuer = downloaded.FirstOrDefault(c => CertificateLinks.IsIssuedBy(top, c));
                if (issuer is null)
                {
                    var name = CertificateAnalysis.Short(top.Subject);
                    var served = string.Join(", ", downloaded.Select(c => $"'{CertificateAnalysis.Short(c.Subject)}'"));
                    steps.Add(downloaded.Count == 0
                        ? T($"downloading the issuer of '{name}' from {url} failed: {error}", $"从 {url} 下载 '{name}' 的签发者失败：{error}")
                        : T($"{url} served {served}, none of which signed '{name}'", $"{url} 返回了 {served}，但都没有签发 '{name}'"));
                    break;
                }

                var (child, parent) = (CertificateAnalysis.Short(top.Subject), CertificateAnalysis.Short(issuer.Subject));
                steps.Add(T($"issuer of '{child}': '{parent}' downloaded from {url} (AIA caIssuers)", $"'{child}' 的签发者：'{parent}'，从 {url} 下载（AIA caIssuers）"));
                pool.AddRange(downloaded);
            }

            if (CertificateLinks.IsSelfIssued(issuer))
            {
                // A root: it decides trust but is never part of what a server sends.
                var root = CertificateAnalysis.Short(issuer.Subject);
                steps.Add(T($"'{root}' is a root: it must be in the client's store, not in the chain", $"'{root}' 是根证书：它应当在客户端的信任库里，而不是在证书链里"));
                break;
            }

            chain.Add(issuer);
            added.Add(issuer);
        }

        var path = TrustCheck.TrustedPath(leaf, chain.Skip(1), roots, now);
        return new ChainCompletion(chain, path, steps, added);
    }

    /// <summary>Every certificate file of a directory (not recursive), unreadable ones skipped.</summary>
    public static IReadOnlyList<SourcedCertificate> ReadCandidates(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CertInputException(T($"--candidates: not a directory: {directory}", $"--candidates：不是目录：{directory}"));
        }

        var found = new List<SourcedCertificate>();
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).Take(MaxCandidateFiles))
        {
            try
            {
                found.AddRange(CertificateFiles.Read(file).Select(c => c with { Origin = Path.Combine(directory, c.Origin) }));
            }
            catch (CertInputException)
            {
                // A key, a README, a CSR: not a candidate.
            }
        }

        return found;
    }

    private static string? CaIssuers(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault()?.EnumerateCAIssuersUris()
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
