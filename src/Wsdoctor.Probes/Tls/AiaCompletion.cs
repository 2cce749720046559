using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Tls;

/// <summary>For tls.incomplete-chain: downloads what the leaf's AIA caIssuers URL offers, the way Chromium, macOS,
/// Windows and .NET do, and says whether the chain then completes. That decides which clients connect anyway and
/// which fail (<see cref="ClientTlsBehaviour"/>), the classic "works in Chrome, fails in Node".</summary>
internal static class AiaCompletion
{
    /// <summary>A chain rarely needs more than one missing intermediate; two more hops bound the downloads.</summary>
    private const int MaxHops = 3;

    public static async Task RunAsync(DiagnosisContext ctx, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, TlsMaterial material)
    {
        var index = ctx.Findings.ToList().FindIndex(f => f.Code == Codes.TlsIncompleteChain);
        if (index < 0 || ctx.Options.NoFollowUpProbes || ctx.Options.StayOnTargetHost)
        {
            return;
        }

        var evidence = new List<string>();
        var downloaded = new List<X509Certificate2>();
        var current = leaf;
        string? completed = null;
        for (var hop = 0; hop < MaxHops && completed is null; hop++)
        {
            var url = current.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault()?.EnumerateCAIssuersUris().FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
            if (url is null)
            {
                evidence.Add($"'{CertificateAnalysis.Short(current.Subject)}' names no http:// caIssuers URL to download its issuer from");
                break;
            }

            var (certificates, error) = await AiaDownloader.DownloadAsync(url, TlsFailure.FollowUpTimeout(ctx), !ctx.Options.NoProxy, ctx.Deadline).ConfigureAwait(false);
            if (certificates.Count == 0)
            {
                evidence.Add($"downloading the issuer from {url} (AIA) failed: {error}; so even clients that fetch AIA fail");
                break;
            }

            downloaded.AddRange(certificates);
            evidence.Add($"downloaded from {url} (AIA): {string.Join(", ", certificates.Select(c => CertificateAnalysis.Short(c.Subject)))}");
            completed = Trusted(leaf, sent.Concat(downloaded), material, ctx.Options.Time.GetUtcNow());
            current = certificates[0];
        }

        var original = ctx.Findings[index];
        var data = new Dictionary<string, object?>(original.Data) { ["aiaDownloaded"] = downloaded.Select(c => c.Subject).ToArray() };
        var message = original.Message.En;
        if (completed is not null)
        {
            // Same rules as `cert inspect`'s per-client table: the chain is sound but for the missing intermediate.
            var verdicts = ClientVerdicts.Judge(new ChainFacts { Name = NameCoverage.Covered, TrustedWithAia = true, PublicRoot = material.CustomRoots is null }, coreOnly: false);
            var pass = verdicts.Where(v => v.Outcome == ClientOutcome.Pass).ToArray();
            var fail = verdicts.Where(v => v.Outcome == ClientOutcome.Fail).ToArray();
            var depends = verdicts.Where(v => v.Outcome == ClientOutcome.Depends).ToArray();
            evidence.Add($"with it the chain is complete and trusted: {completed}");
            evidence.Add("connect anyway (they download the intermediate): " + string.Join("; ", pass.Select(c => c.Client)));
            evidence.Add("fail (they do not): " + string.Join("; ", fail.Select(c => $"{c.Client} ({c.Why})")));
            if (depends.Length > 0)
            {
                evidence.Add("may connect: " + string.Join("; ", depends.Select(c => $"{c.Client} ({c.Why})")));
            }

            data["clientsPass"] = pass.Select(c => c.Client).ToArray();
            data["clientsFail"] = fail.Select(c => c.Client).ToArray();
            data["clientsDepend"] = depends.Select(c => c.Client).ToArray();
            data["certainty"] = "confirmed";
            message += $"; {Names(pass)} complete it from the AIA URL, {Names(fail)} fail";
        }
        else if (downloaded.Count > 0)
        {
            evidence.Add("the downloaded issuer does not lead to a trusted root either: the chain is incomplete and its root is not trusted here");
        }

        var evidenceLines = original.Evidence.Where(l => !l.En.StartsWith("browsers may paper over", StringComparison.Ordinal)).Concat(evidence.Select(Text.Untranslated));
        ctx.Replace(index, Finding.Create(original.Code, Text.Untranslated(message), evidenceLines, original.Fix, data, original.Severity));
    }

    private static string Names(IEnumerable<ClientVerdict> verdicts) =>
        string.Join(", ", verdicts.Select(v => v.Client.Split(" (")[0]));

    /// <summary>The chain as a verifier with the downloaded issuers sees it, or null when it is still not trusted.</summary>
    private static string? Trusted(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, TlsMaterial material, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
        if (material.CustomRoots is { } roots)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return chain.Build(leaf)
            ? string.Join(" <- ", chain.ChainElements.Select(e => CertificateAnalysis.Short(e.Certificate.Subject)))
            : null;
    }
}
