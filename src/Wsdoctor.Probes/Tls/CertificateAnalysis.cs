using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;

namespace Wsdoctor.Probes.Tls;

/// <summary>Judges the certificates a server sent the way a browser would, but says precisely which rule failed.
/// The chain is built only from what the server sent (no AIA downloads), because Firefox, Node, Python and
/// most non-browser clients do not fetch missing intermediates either.</summary>
public static class CertificateAnalysis
{
    public static readonly TimeSpan ExpiringSoon = TimeSpan.FromDays(14);

    public static List<Finding> Analyze(
        X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> sent,
        string host,
        X509Certificate2Collection? customRoots,
        DateTimeOffset now)
    {
        var findings = new List<Finding>();
        var names = CertificateNames.Of(leaf);
        var subject = leaf.Subject;
        var certLine = $"certificate: {subject}, issued by {leaf.Issuer}";

        CheckDates(leaf, now, certLine, findings);
        CheckName(names, host, certLine, findings);
        CheckChain(leaf, sent, customRoots, now, certLine, findings);
        return findings;
    }

    private static void CheckDates(X509Certificate2 leaf, DateTimeOffset now, string certLine, List<Finding> findings)
    {
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var validity = $"valid from {Stamp(notBefore)} to {Stamp(notAfter)}; local clock {Stamp(now)}";
        var data = new Dictionary<string, object?> { ["notBefore"] = notBefore, ["notAfter"] = notAfter, ["localTime"] = now };
        if (notAfter < now)
        {
            findings.Add(Finding.Create(Codes.TlsExpired, $"certificate expired {Ago(now - notAfter)} ago ({Stamp(notAfter)})",
                [certLine, validity], data: data));
        }
        else if (notBefore > now)
        {
            findings.Add(Finding.Create(Codes.TlsNotYetValid, $"certificate is not valid until {Stamp(notBefore)} ({Ago(notBefore - now)} from now)",
                [certLine, validity], data: data));
        }
        else if (notAfter - now < ExpiringSoon)
        {
            data["daysLeft"] = Math.Round((notAfter - now).TotalDays, 1);
            findings.Add(Finding.Create(Codes.TlsExpiringSoon, $"certificate expires in {Ago(notAfter - now)} ({Stamp(notAfter)})",
                [certLine, validity], data: data));
        }
    }

    private static void CheckName(CertificateNames names, string host, string certLine, List<Finding> findings)
    {
        if (names.HasSan && names.Covers(host))
        {
            return;
        }

        var sanList = names.All.ToArray();
        var covers = sanList.Length == 0 ? "no name at all" : string.Join(", ", sanList);
        var evidence = new List<string> { certLine, $"Subject Alternative Names: {(sanList.Length == 0 ? "(none)" : covers)}", $"requested host: {host}" };
        if (!names.HasSan)
        {
            evidence.Add($"the certificate has no SAN extension; its CN={names.CommonName} is ignored (Chrome 58+, RFC 6125)");
        }
        else if (names.CommonName is { } cn && cn.Equals(host, StringComparison.OrdinalIgnoreCase))
        {
            evidence.Add($"CN={cn} matches, but browsers ignore the CN when a SAN extension exists");
        }

        var data = new Dictionary<string, object?> { ["host"] = host, ["subjectAltNames"] = sanList, ["commonName"] = names.CommonName };
        var isIp = System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _);
        if (isIp)
        {
            findings.Add(Finding.Create(Codes.TlsIpNotInSan,
                $"certificate has no IP entry for {host}; it covers {covers}",
                evidence,
                names.DnsNames.Count > 0
                    ? $"Connect with a name the certificate covers (e.g. wss://{names.DnsNames[0]}/…, adding it to DNS or /etc/hosts), or reissue with an IP SAN (public CAs rarely issue those)."
                    : null,
                data));
        }
        else
        {
            findings.Add(Finding.Create(Codes.TlsNameMismatch,
                $"certificate covers {covers}, not {host}",
                evidence,
                $"Reissue the certificate with {host} in its SAN (certbot -d {host}), or use a host name it covers: {covers}.",
                data));
        }
    }

    private static void CheckChain(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? customRoots,
        DateTimeOffset now, string certLine, List<Finding> findings)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        foreach (var cert in sent.Where(c => c.Thumbprint != leaf.Thumbprint))
        {
            chain.ChainPolicy.ExtraStore.Add(cert);
        }

        if (customRoots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(customRoots);
        }

        var ok = chain.Build(leaf);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (acc, s) => acc | s.Status);
        flags &= ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation);
        if (ok || flags == X509ChainStatusFlags.NoError)
        {
            return;
        }

        var sentLine = $"server sent {sent.Count} certificate(s): {string.Join(" <- ", sent.Select(c => Short(c.Subject)))}";
        var trust = customRoots is null ? "the system trust store" : $"--ca ({customRoots.Count} certificate(s))";
        var selfSigned = leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData);
        var data = new Dictionary<string, object?>
        {
            ["sentCertificates"] = sent.Select(c => c.Subject).ToArray(),
            ["chainStatus"] = flags.ToString(),
        };

        if (selfSigned)
        {
            findings.Add(Finding.Create(Codes.TlsSelfSigned, $"the certificate is self-signed ({Short(leaf.Subject)}) and not trusted by {trust}",
                [certLine, sentLine, "issuer equals subject: nobody vouches for this certificate"], data: data));
        }
        else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) && chain.ChainElements.Count == 1 && CaIssuersUrl(leaf) is { } aia)
        {
            // Only the leaf could be placed, and it names where its issuer can be downloaded (AIA), as leaves from
            // an intermediate of a public CA do: the server should have sent that intermediate.
            data["missingIssuer"] = leaf.Issuer;
            findings.Add(Finding.Create(Codes.TlsIncompleteChain,
                $"the server sends only its own certificate, not the intermediate '{Short(leaf.Issuer)}'",
                [certLine, sentLine, $"no certificate for '{leaf.Issuer}' was sent, and it is not in {trust}",
                 $"the certificate says its issuer can be downloaded from {aia} (AIA): that issuer is an intermediate",
                 "browsers may paper over this by fetching it (AIA); Firefox, Node, Python, Java and curl fail"],
                data: data));
        }
        else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) && chain.ChainElements.Count == 1)
        {
            // Only the leaf, and no AIA: the signature of a private CA issuing directly (mkcert, wsdoctor serve
            // --tls-dev, many corporate CAs), whose root is never sent by design. It may also be an intermediate.
            data["root"] = leaf.Issuer;
            findings.Add(Finding.Create(Codes.TlsUntrustedRoot,
                $"the certificate is issued by '{Short(leaf.Issuer)}', which is neither sent nor trusted by {trust}",
                [certLine, sentLine, $"issuer: {leaf.Issuer}",
                 "the certificate names no download URL for its issuer (no AIA), as private CAs that issue directly do (mkcert, wsdoctor serve --tls-dev)"],
                $"Trust '{Short(leaf.Issuer)}' on the client (--ca FILE here; NODE_EXTRA_CA_CERTS, SSL_CERT_FILE or the OS store elsewhere). If it is an intermediate instead, make the server send it after its certificate (fullchain.pem).",
                data));
        }
        else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) || flags.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            // The chain reaches a CA certificate whose root is unknown here. Servers do not send roots, so an
            // unknown issuer above the sent intermediates is an untrusted (private or corporate) root.
            var top = chain.ChainElements[^1].Certificate;
            var rootName = top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData) ? top.Subject : top.Issuer;
            data["root"] = rootName;
            findings.Add(Finding.Create(Codes.TlsUntrustedRoot,
                $"the chain ends in '{Short(rootName)}', which is not trusted by {trust}",
                [certLine, sentLine, $"root: {rootName}", $"chain: {string.Join(" <- ", chain.ChainElements.Select(e => Short(e.Certificate.Subject)))} <- {Short(rootName)} (not trusted)"],
                $"Trust '{Short(rootName)}' on the client (or pass it with --ca FILE), or use a certificate from a public CA.",
                data));
        }
        else
        {
            findings.Add(Finding.Create(Codes.TlsHandshakeFailed,
                $"the certificate chain is invalid: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct())}",
                [certLine, sentLine, $"chain status: {flags}"], "Reissue the certificate and serve the complete, valid chain.", data));
        }
    }

    public static string Short(string distinguishedName)
    {
        var cn = distinguishedName.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("CN=", StringComparison.Ordinal));
        return cn?[3..] ?? distinguishedName;
    }

    public static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Ago(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{span.TotalDays:0} days"
        : span.TotalHours >= 2 ? $"{span.TotalHours:0} hours"
        : span.TotalMinutes >= 2 ? $"{span.TotalMinutes:0} minutes"
        : $"{span.TotalSeconds:0} seconds";

    private static string? CaIssuersUrl(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault()?.EnumerateCAIssuersUris().FirstOrDefault();
}
