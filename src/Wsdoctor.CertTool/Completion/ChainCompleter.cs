using System.Security.Cryptography.X509Certificates;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.CertTool.Completion;

/// <summary>A chain completed from a leaf: the missing issuers found in a candidates directory or downloaded from
/// the caIssuers URLs (RFC 5280 4.2.2.1), as Chromium and .NET do, until it reaches a trusted root.</summary>
/// <param name="Chain">Leaf first, then the intermediates in order; never the root.</param>
/// <param name="Steps">One line per issuer looked for: where it came from, or why not.</param>
public sealed record ChainCompletion(IReadOnlyList<X509Certificate2> Chain, string? TrustedPath, IReadOnlyList<string> Steps, IReadOnlyList<X509Certificate2> Added)
{
    public bool Trusted => TrustedPath is not null;
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
        var steps = new List<string>();
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
                steps.Add($"'{CertificateAnalysis.Short(top.Subject)}' is self-signed: the chain ends there, untrusted");
                break;
            }

            var issuer = pool.FirstOrDefault(c => c != top && CertificateLinks.IsIssuedBy(top, c));
            if (issuer is not null)
            {
                var origin = candidates.FirstOrDefault(c => c.Certificate == issuer)?.Origin ?? "the given files";
                steps.Add($"issuer of '{CertificateAnalysis.Short(top.Subject)}': '{CertificateAnalysis.Short(issuer.Subject)}' from {origin}");
            }
            else if (!useNetwork)
            {
                steps.Add($"no certificate for '{CertificateAnalysis.Short(top.Issuer)}' among the candidates{(CaIssuers(top) is { } u ? $" (its caIssuers URL {u} was not followed: offline)" : "")}");
                break;
            }
            else if (CaIssuers(top) is not { } url)
            {
                steps.Add($"'{CertificateAnalysis.Short(top.Subject)}' names no caIssuers URL for its issuer '{CertificateAnalysis.Short(top.Issuer)}': give it with --candidates DIR");
                break;
            }
            else
            {
                var (downloaded, error) = await AiaDownloader.DownloadAsync(url, timeout, useProxy: true, cancellationToken).ConfigureAwait(false);
                issuer = downloaded.FirstOrDefault(c => CertificateLinks.IsIssuedBy(top, c));
                if (issuer is null)
                {
                    steps.Add(downloaded.Count == 0
                        ? $"downloading the issuer of '{CertificateAnalysis.Short(top.Subject)}' from {url} failed: {error}"
                        : $"{url} served {string.Join(", ", downloaded.Select(c => $"'{CertificateAnalysis.Short(c.Subject)}'"))}, none of which signed '{CertificateAnalysis.Short(top.Subject)}'");
                    break;
                }

                steps.Add($"issuer of '{CertificateAnalysis.Short(top.Subject)}': '{CertificateAnalysis.Short(issuer.Subject)}' downloaded from {url} (AIA caIssuers)");
                pool.AddRange(downloaded);
            }

            if (CertificateLinks.IsSelfIssued(issuer))
            {
                // A root: it decides trust but is never part of what a server sends.
                steps.Add($"'{CertificateAnalysis.Short(issuer.Subject)}' is a root: it must be in the client's store, not in the chain");
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
            throw new CertInputException($"--candidates: not a directory: {directory}");
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
