using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

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

        var evidence = new List<Text>();
        var downloaded = new List<X509Certificate2>();
        var current = leaf;
        string? completed = null;
        for (var hop = 0; hop < MaxHops && completed is null; hop++)
        {
            var url = current.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault()?.EnumerateCAIssuersUris().FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
            if (url is null)
            {
                evidence.Add(T($"'{CertificateAnalysis.Short(current.Subject)}' names no http:// caIssuers URL to download its issuer from",
                    $"'{CertificateAnalysis.Short(current.Subject)}' 没有注明可下载其签发者的 http:// caIssuers URL"));
                break;
            }

            var (certificates, error) = await AiaDownloader.DownloadAsync(url, TlsFailure.FollowUpTimeout(ctx), !ctx.Options.NoProxy, ctx.Deadline).ConfigureAwait(false);
            if (certificates.Count == 0)
            {
                evidence.Add(T($"downloading the issuer from {url} (AIA) failed: {error}; so even clients that fetch AIA fail",
                    $"从 {url} 下载签发者（AIA）失败：{error}；所以连会获取 AIA 的客户端也会失败"));
                break;
            }

            downloaded.AddRange(certificates);
            var names = string.Join(", ", certificates.Select(c => CertificateAnalysis.Short(c.Subject)));
            evidence.Add(T($"downloaded from {url} (AIA): {names}", $"从 {url}（AIA）下载到：{names}"));
            completed = Trusted(leaf, sent.Concat(downloaded), material, ctx.Options.Time.GetUtcNow());
            current = certificates[0];
        }

        var original = ctx.Findings[index];
        var data = new Dictionary<string, object?>(original.Data) { ["aiaDownloaded"] = downloaded.Select(c => c.Subject).ToArray() };
        var message = original.Message;
        if (completed is not null)
        {
            // Same rules as `cert inspect`'s per-client table: the chain is sound but for the missing intermediate.
            var verdicts = ClientVerdicts.Judge(new ChainFacts { Name = NameCoverage.Covered, TrustedWithAia = true, PublicRoot = material.CustomRoots is null }, coreOnly: false);
            var pass = verdicts.Where(v => v.Outcome == ClientOutcome.Pass).ToArray();
            var fail = verdicts.Where(v => v.Outcome == ClientOutcome.Fail).ToArray();
            var depends = verdicts.Where(v => v.Outcome == ClientOutcome.Depends).ToArray();
            var separator = T("; ", "；");
            evidence.Add(T($"with it the chain is complete and trusted: {completed}", $"加上它之后证书链完整且受信任：{completed}"));
            evidence.Add(T("connect anyway (they download the intermediate): ", "仍能连接（它们会下载中间证书）：") + Text.Join(separator, pass.Select(c => c.Name)));
            evidence.Add(T("fail (they do not): ", "会失败（它们不下载）：") + Text.Join(separator, fail.Select(WithReason)));
            if (depends.Length > 0)
            {
                evidence.Add(T("may connect: ", "可能连接成功：") + Text.Join(separator, depends.Select(WithReason)));
            }

            data["clientsPass"] = pass.Select(c => c.Client).ToArray();
            data["clientsFail"] = fail.Select(c => c.Client).ToArray();
            data["clientsDepend"] = depends.Select(c => c.Client).ToArray();
            data["certainty"] = "confirmed";
            message += T($"; {Names(pass)} complete it from the AIA URL, {Names(fail)} fail", $"；能从 AIA URL 补全证书链的有 {Names(pass)}，会失败的有 {Names(fail)}");
        }
        else if (downloaded.Count > 0)
        {
            evidence.Add(T("the downloaded issuer does not lead to a trusted root either: the chain is incomplete and its root is not trusted here",
                "下载到的签发者也通不到受信任的根证书：证书链不完整，而且它的根证书在这里不受信任"));
        }

        var evidenceLines = original.Evidence.Where(l => !l.Equals(CertificateAnalysis.BrowsersMayFetchAia)).Concat(evidence);
        ctx.Replace(index, Finding.Create(original.Code, message, evidenceLines, original.Fix, data, original.Severity));
    }

    private static Text WithReason(ClientVerdict verdict) =>
        T($"{verdict.Client} ({verdict.Why})", $"{verdict.Name}（{verdict.Reason}）");

    /// <summary>The clients' names without the libraries in parentheses ("Node.js (ws, ...)" is "Node.js").</summary>
    private static Text Names(IEnumerable<ClientVerdict> verdicts) =>
        Text.Join(T(", ", "、"), verdicts.Select(v => v.Name.Map(n => n.Split([" (", "（"], StringSplitOptions.None)[0])));

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
