using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.CertTool.Completion;

/// <summary>Whether a leaf reaches a trusted root with the given intermediates only: nothing downloaded (that is what
/// OpenSSL, Go and Firefox do), dates ignored (they are judged on their own), against the system store or --ca.</summary>
public static class TrustCheck
{
    /// <returns>The path, leaf first, written "a &lt;- b &lt;- root"; null when it does not reach a trusted root.</returns>
    public static string? TrustedPath(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection? roots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
        if (roots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }

        var ok = chain.Build(leaf);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (acc, s) => acc | s.Status)
            & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation);
        return ok || flags == X509ChainStatusFlags.NoError
            ? string.Join(" <- ", chain.ChainElements.Select(e => CertificateAnalysis.Short(e.Certificate.Subject)))
            : null;
    }

    /// <summary>The certificates of the trusted path without the leaf and the root: what a server must send.</summary>
    public static IReadOnlyList<X509Certificate2> Intermediates(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection? roots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        var pool = intermediates.ToArray();
        chain.ChainPolicy.ExtraStore.AddRange(pool);
        if (roots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        }

        chain.Build(leaf);
        var elements = chain.ChainElements.Select(e => e.Certificate).ToArray();
        // The pool's own instances, in path order, root excluded.
        return elements.Skip(1).Where(e => !Inspection.CertificateLinks.IsSelfIssued(e))
            .Select(e => pool.FirstOrDefault(p => p.Thumbprint == e.Thumbprint) ?? e).ToArray();
    }
}
