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

    /// <param name="host">The name the client connects to; null when a file is inspected for no particular host (then only
    /// a certificate that names no host at all, CN-only, is a name finding).</param>
    public static List<Finding> Analyze(
        X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> sent,
        string? host,
        X509Certificate2Collection? customRoots,
        DateTimeOffset now)
    {
        var findings = new List<Finding>();
        var names = CertificateNames.Of(leaf);
        var subject = leaf.Subject;
        var certLine = $"certificate: {subject}, issued by {leaf.Issuer}";

        CheckDates(leaf, now, certLine, findings);
        CheckIssuerDates(leaf, sent, customRoots, now, findings);
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

    /// <summary>An intermediate (or the root) out of its dates fails the chain for every client, whatever the leaf's
    /// own dates say: judged on the chain as it builds from what the server sent, dates aside.</summary>
    private static void CheckIssuerDates(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? customRoots,
        DateTimeOffset now, List<Finding> findings)
    {
        if (findings.Any(f => f.Code is Codes.TlsExpired or Codes.TlsNotYetValid))
        {
            return;
        }

        using var chain = SentChain(sent, leaf, customRoots, now, X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid);
        chain.Build(leaf);
        var elements = chain.ChainElements.Select(e => e.Certificate).ToArray();
        for (var i = 1; i < elements.Length; i++)
        {
            var issuer = elements[i];
            var role = i == elements.Length - 1 && issuer.SubjectName.RawData.AsSpan().SequenceEqual(issuer.IssuerName.RawData) ? "root" : "intermediate";
            var notAfter = NotAfter(issuer);
            var notBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var line = $"{role} certificate: {issuer.Subject}, issued by {issuer.Issuer} (position {i} in the chain)";
            var validity = $"valid from {Stamp(notBefore)} to {Stamp(notAfter)}; local clock {Stamp(now)}";
            var data = new Dictionary<string, object?>
            {
                ["certificate"] = issuer.Subject, ["role"] = role, ["notBefore"] = notBefore, ["notAfter"] = notAfter, ["localTime"] = now,
            };
            var fromServer = sent.Any(c => c.RawData.AsSpan().SequenceEqual(issuer.RawData));
            var replace = fromServer
                ? $"The server sends an {role} that is out of date: replace the chain file with the CA's current one (certbot's fullchain.pem after renewal), then reload the server."
                : $"The {role} comes from the trust store and is out of date: update the client's CA certificates (ca-certificates), or reissue from a current {role}.";
            if (notAfter < now)
            {
                findings.Add(Finding.Create(Codes.TlsExpired, $"the {role} certificate {Short(issuer.Subject)} expired {Ago(now - notAfter)} ago ({Stamp(notAfter)}); the leaf itself is in date",
                    [line, validity, "every client rejects a chain with an expired issuer (RFC 5280 6.1.3: each certificate's validity period must include the current time)"], replace, data));
                return;
            }

            if (notBefore > now)
            {
                findings.Add(Finding.Create(Codes.TlsNotYetValid, $"the {role} certificate {Short(issuer.Subject)} is not valid until {Stamp(notBefore)} ({Ago(notBefore - now)} from now)",
                    [line, validity], data: data));
                return;
            }

            if (notAfter - now < ExpiringSoon && !findings.Any(f => f.Code == Codes.TlsExpiringSoon))
            {
                data["daysLeft"] = Math.Round((notAfter - now).TotalDays, 1);
                findings.Add(Finding.Create(Codes.TlsExpiringSoon, $"the {role} certificate {Short(issuer.Subject)} expires in {Ago(notAfter - now)} ({Stamp(notAfter)}), before the leaf",
                    [line, validity], replace, data));
            }
        }
    }

    private static void CheckName(CertificateNames names, string? host, string certLine, List<Finding> findings)
    {
        if (host is null)
        {
            if (!names.HasSan)
            {
                findings.Add(Finding.Create(Codes.TlsNameMismatch,
                    $"the certificate has no Subject Alternative Names: browsers match no host name at all (CN={names.CommonName} is ignored)",
                    [certLine, "Subject Alternative Names: (none)",
                     "Chromium 58+, Firefox (for public roots), Go 1.15+ and Safari/iOS 13+ match host names against the SAN only (RFC 6125 6.4.4); a CN-only certificate is rejected"],
                    $"Reissue with the host names as SAN entries (openssl req -addext \"subjectAltName=DNS:{names.CommonName}\", certbot does it always).",
                    new Dictionary<string, object?> { ["host"] = null, ["subjectAltNames"] = Array.Empty<string>(), ["commonName"] = names.CommonName, ["rule"] = "cn-only" }));
            }

            return;
        }

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

        var rules = names.RulesAgainst(host);
        // The CN lines above already say why the CN does not count; the rules add wildcards and IP entries.
        evidence.AddRange(rules.Where(r => !r.StartsWith("CN=", StringComparison.Ordinal) && !r.StartsWith("the certificate has no SAN", StringComparison.Ordinal)));
        var data = new Dictionary<string, object?>
        {
            ["host"] = host, ["subjectAltNames"] = sanList, ["commonName"] = names.CommonName,
            ["rule"] = RuleId(names, host, rules),
        };
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
        // Dates are judged on their own (CheckDates), so an expired leaf still gets its chain explained.
        using var chain = SentChain(sent, leaf, customRoots, now, X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid);
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

        if ((flags & NameConstraintFlags) != 0)
        {
            findings.Add(NameConstraintViolation(chain, leaf, certLine, sentLine, flags, data));
        }
        else if (selfSigned)
        {
            findings.Add(Finding.Create(Codes.TlsSelfSigned, $"the certificate is self-signed ({Short(leaf.Subject)}) and not trusted by {trust}",
                [certLine, sentLine, "issuer equals subject: nobody vouches for this certificate"], data: data));
        }
        else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) && chain.ChainElements.Count == 1 && CaIssuersUrl(leaf) is { } aia)
        {
            // Only the leaf could be placed, and it names where its issuer can be downloaded (AIA), as leaves from
            // an intermediate of a public CA do: the server should have sent that intermediate.
            data["missingIssuer"] = leaf.Issuer;
            data["readings"] = new[] { "missing-intermediate", "untrusted-issuer" };
            data["favoured"] = "missing-intermediate";
            data["certainty"] = "likely";
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
            // Two readings fit a lone leaf: its issuer is a root this client does not trust, or an intermediate the
            // server forgot. Only the certificate can tell them apart, never a timing or a download: without a
            // caIssuers URL (which public CAs put in every leaf they issue from an intermediate) the first is favoured.
            data["root"] = leaf.Issuer;
            data["readings"] = new[] { "untrusted-issuer", "missing-intermediate" };
            data["favoured"] = "untrusted-issuer";
            data["certainty"] = "likely";
            findings.Add(Finding.Create(Codes.TlsUntrustedRoot,
                $"the certificate is issued by '{Short(leaf.Issuer)}', which is neither sent nor trusted by {trust}",
                [certLine, sentLine, $"issuer: {leaf.Issuer}",
                 "the certificate names no download URL for its issuer (no AIA), as private CAs that issue directly do (mkcert, wsdoctor serve --tls-dev)",
                 $"two readings fit: (1, favoured) '{Short(leaf.Issuer)}' is a private root the client does not trust; (2) it is an intermediate the server does not send",
                 "favoured because leaves from public intermediates carry a caIssuers URL and this one does not; if you know it is an intermediate, serve the full chain instead"],
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

    /// <summary>The earliest expiry in the chain from <paramref name="leaf"/> through the certificates sent to a
    /// trusted root, the root included; null when no such chain verifies at <paramref name="now"/> (an expired member,
    /// an unknown root). Like Go's VerifiedChains that blackbox_exporter reads: nothing is downloaded.</summary>
    public static DateTimeOffset? VerifiedChainNotAfter(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? customRoots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(sent);
        using var chain = SentChain(sent, leaf, customRoots, now, X509VerificationFlags.NoFlag);
        return chain.Build(leaf) ? chain.ChainElements.Select(e => NotAfter(e.Certificate)).Min() : null;
    }

    public static DateTimeOffset NotAfter(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
    }

    /// <summary>A chain over what the server sent, against the system store or <paramref name="customRoots"/>, with no
    /// downloads and no revocation check (which clients do not do for WebSocket servers either).</summary>
    private static X509Chain SentChain(IReadOnlyList<X509Certificate2> sent, X509Certificate2 leaf, X509Certificate2Collection? customRoots, DateTimeOffset now, X509VerificationFlags flags)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = flags;
        foreach (var cert in sent.Where(c => c.Thumbprint != leaf.Thumbprint))
        {
            chain.ChainPolicy.ExtraStore.Add(cert);
        }

        if (customRoots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(customRoots);
        }

        return chain;
    }

    private static string RuleId(CertificateNames names, string host, IReadOnlyList<string> rules) =>
        names.CoversByCommonNameOnly(host) ? "cn-only"
        : rules.Any(r => r.Contains("written as a DNS name", StringComparison.Ordinal)) ? "ip-in-dns-san"
        : rules.Any(r => r.Contains("never for none", StringComparison.Ordinal)) ? "wildcard-apex"
        : rules.Any(r => r.Contains("one whole left-most label", StringComparison.Ordinal)) ? "wildcard-depth"
        : "not-listed";

    private const X509ChainStatusFlags NameConstraintFlags = X509ChainStatusFlags.HasNotPermittedNameConstraint
        | X509ChainStatusFlags.HasExcludedNameConstraint | X509ChainStatusFlags.HasNotSupportedNameConstraint | X509ChainStatusFlags.HasNotDefinedNameConstraint;

    /// <summary>RFC 5280 4.2.1.10: a CA certificate's nameConstraints bind every certificate below it. The SAN may list
    /// the host and still not cover it, because the CA was never allowed to vouch for that name.</summary>
    private static Finding NameConstraintViolation(X509Chain chain, X509Certificate2 leaf, string certLine, string sentLine, X509ChainStatusFlags flags, Dictionary<string, object?> data)
    {
        var constrained = chain.ChainElements.Select(e => e.Certificate)
            .FirstOrDefault(c => c.Extensions.Any(x => x.Oid?.Value == "2.5.29.30"));
        var constraint = constrained?.Extensions.First(x => x.Oid?.Value == "2.5.29.30");
        var names = CertificateNames.Of(leaf).All.ToArray();
        var evidence = new List<string>
        {
            certLine, sentLine,
            $"Subject Alternative Names: {string.Join(", ", names)}",
            constrained is null
                ? $"chain status: {flags}"
                : $"'{Short(constrained.Subject)}' carries nameConstraints: {constraint!.Format(multiLine: false)}",
            "RFC 5280 4.2.1.10: every name of every certificate below a CA with nameConstraints must fall inside its permitted subtrees and outside its excluded ones; " +
            "a dNSName constraint example.com covers example.com and every name under it, .example.com only the names under it",
        };
        data["rule"] = "name-constraints";
        data["constrainedBy"] = constrained?.Subject;
        return Finding.Create(Codes.TlsNameMismatch,
            $"the certificate names {string.Join(", ", names)}, but its CA '{Short(constrained?.Subject ?? leaf.Issuer)}' is not allowed to issue for {(names.Length == 1 ? "it" : "them")} (name constraints)",
            evidence,
            $"Have the certificate issued by a CA whose name constraints permit these names, or ask the owner of '{Short(constrained?.Subject ?? leaf.Issuer)}' to widen them.",
            data);
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
