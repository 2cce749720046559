using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

/// <summary>Judges the certificates a server sent the way a browser would, but says precisely which rule failed.
/// The chain is built only from what the server sent (no AIA downloads), because Firefox, Node, Python and
/// most non-browser clients do not fetch missing intermediates either.</summary>
public static class CertificateAnalysis
{
    public static readonly TimeSpan ExpiringSoon = TimeSpan.FromDays(14);

    /// <summary>The evidence line of tls.incomplete-chain that guesses who papers over the missing intermediate; callers
    /// that say it better (the AIA download, <c>cert</c>'s client table) drop this very line.</summary>
    public static Text BrowsersMayFetchAia { get; } = T(
        "browsers may paper over this by fetching it (AIA); Firefox, Node, Python, Java and curl fail",
        "浏览器可能会自己下载它（AIA），掩盖了这个问题；Firefox、Node、Python、Java 和 curl 会失败");

    /// <param name="host">The name the client connects to; null when a file is inspected for no particular host (then only
    /// a certificate that names no host at all, CN-only, is a name finding).</param>
    /// <param name="fromFiles">The certificates come from files, not from a server: the texts say what the files hold.</param>
    public static List<Finding> Analyze(
        X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> sent,
        string? host,
        X509Certificate2Collection? customRoots,
        DateTimeOffset now,
        bool fromFiles = false)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(sent);
        var findings = new List<Finding>();
        var names = CertificateNames.Of(leaf);
        var subject = leaf.Subject;
        var certLine = T($"certificate: {subject}, issued by {leaf.Issuer}", $"证书：{subject}，签发者 {leaf.Issuer}");

        CheckDates(leaf, now, certLine, findings);
        CheckIssuerDates(leaf, sent, customRoots, now, findings);
        CheckName(names, host, certLine, findings);
        CheckChain(leaf, sent, customRoots, now, certLine, fromFiles, findings);
        return findings;
    }

    private static Text Validity(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now) =>
        T($"valid from {Stamp(notBefore)} to {Stamp(notAfter)}; local clock {Stamp(now)}",
          $"有效期 {Stamp(notBefore)} 至 {Stamp(notAfter)}；本机时钟 {Stamp(now)}");

    private static void CheckDates(X509Certificate2 leaf, DateTimeOffset now, Text certLine, List<Finding> findings)
    {
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var validity = Validity(notBefore, notAfter, now);
        var data = new Dictionary<string, object?> { ["notBefore"] = notBefore, ["notAfter"] = notAfter, ["localTime"] = now };
        if (notAfter < now)
        {
            findings.Add(Finding.Create(Codes.TlsExpired,
                T($"certificate expired {Ago(now - notAfter)} ago ({Stamp(notAfter)})", $"证书已在 {AgoText(now - notAfter)}前过期（{Stamp(notAfter)}）"),
                [certLine, validity], data: data));
        }
        else if (notBefore > now)
        {
            findings.Add(Finding.Create(Codes.TlsNotYetValid,
                T($"certificate is not valid until {Stamp(notBefore)} ({Ago(notBefore - now)} from now)", $"证书要到 {Stamp(notBefore)} 才生效（还有 {AgoText(notBefore - now)}）"),
                [certLine, validity], data: data));
        }
        else if (notAfter - now < ExpiringSoon)
        {
            data["daysLeft"] = Math.Round((notAfter - now).TotalDays, 1);
            findings.Add(Finding.Create(Codes.TlsExpiringSoon,
                T($"certificate expires in {Ago(notAfter - now)} ({Stamp(notAfter)})", $"证书将在 {AgoText(notAfter - now)}后过期（{Stamp(notAfter)}）"),
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
            var isRoot = i == elements.Length - 1 && issuer.SubjectName.RawData.AsSpan().SequenceEqual(issuer.IssuerName.RawData);
            var role = isRoot ? "root" : "intermediate";
            var roleZh = isRoot ? "根证书" : "中间证书";
            var notAfter = NotAfter(issuer);
            var notBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var line = T($"{role} certificate: {issuer.Subject}, issued by {issuer.Issuer} (position {i} in the chain)",
                $"{roleZh}：{issuer.Subject}，签发者 {issuer.Issuer}（证书链第 {i} 位）");
            var validity = Validity(notBefore, notAfter, now);
            var data = new Dictionary<string, object?>
            {
                ["certificate"] = issuer.Subject, ["role"] = role, ["notBefore"] = notBefore, ["notAfter"] = notAfter, ["localTime"] = now,
            };
            var fromServer = sent.Any(c => c.RawData.AsSpan().SequenceEqual(issuer.RawData));
            var replace = fromServer
                ? T($"The server sends an {role} that is out of date: replace the chain file with the CA's current one (certbot's fullchain.pem after renewal), then reload the server.",
                    $"服务端发送的{roleZh}已不在有效期内：把证书链文件换成 CA 当前的版本（certbot 续期后的 fullchain.pem），然后重新加载服务端。")
                : T($"The {role} comes from the trust store and is out of date: update the client's CA certificates (ca-certificates), or reissue from a current {role}.",
                    $"这个{roleZh}来自信任库，已不在有效期内：更新客户端的 CA 证书（ca-certificates），或用当前有效的{roleZh}重新签发。");
            if (notAfter < now)
            {
                findings.Add(Finding.Create(Codes.TlsExpired,
                    T($"the {role} certificate {Short(issuer.Subject)} expired {Ago(now - notAfter)} ago ({Stamp(notAfter)}); the leaf itself is in date",
                      $"{roleZh} {Short(issuer.Subject)} 已在 {AgoText(now - notAfter)}前过期（{Stamp(notAfter)}）；叶子证书本身仍在有效期内"),
                    [line, validity, T("every client rejects a chain with an expired issuer (RFC 5280 6.1.3: each certificate's validity period must include the current time)",
                        "所有客户端都会拒绝签发者已过期的证书链（RFC 5280 6.1.3：链上每个证书的有效期都必须包含当前时间）")], replace, data));
                return;
            }

            if (notBefore > now)
            {
                findings.Add(Finding.Create(Codes.TlsNotYetValid,
                    T($"the {role} certificate {Short(issuer.Subject)} is not valid until {Stamp(notBefore)} ({Ago(notBefore - now)} from now)",
                      $"{roleZh} {Short(issuer.Subject)} 要到 {Stamp(notBefore)} 才生效（还有 {AgoText(notBefore - now)}）"),
                    [line, validity], data: data));
                return;
            }

            if (notAfter - now < ExpiringSoon && !findings.Any(f => f.Code == Codes.TlsExpiringSoon))
            {
                data["daysLeft"] = Math.Round((notAfter - now).TotalDays, 1);
                findings.Add(Finding.Create(Codes.TlsExpiringSoon,
                    T($"the {role} certificate {Short(issuer.Subject)} expires in {Ago(notAfter - now)} ({Stamp(notAfter)}), before the leaf",
                      $"{roleZh} {Short(issuer.Subject)} 将在 {AgoText(notAfter - now)}后过期（{Stamp(notAfter)}），早于叶子证书"),
                    [line, validity], replace, data));
            }
        }
    }

    private static Text SanLine(IEnumerable<string> names) =>
        names.ToArray() is { Length: > 0 } all
            ? T($"Subject Alternative Names: {string.Join(", ", all)}", $"SAN（主题备用名称）：{string.Join(", ", all)}")
            : T("Subject Alternative Names: (none)", "SAN（主题备用名称）：（无）");

    private static void CheckName(CertificateNames names, string? host, Text certLine, List<Finding> findings)
    {
        if (host is null)
        {
            if (!names.HasSan)
            {
                findings.Add(Finding.Create(Codes.TlsNameMismatch,
                    T($"the certificate has no Subject Alternative Names: browsers match no host name at all (CN={names.CommonName} is ignored)",
                      $"证书没有 SAN（主题备用名称）：浏览器不会匹配任何主机名（CN={names.CommonName} 会被忽略）"),
                    [certLine, SanLine([]),
                     T("Chromium 58+, Firefox (for public roots), Go 1.15+ and Safari/iOS 13+ match host names against the SAN only (RFC 6125 6.4.4); a CN-only certificate is rejected",
                       "Chromium 58+、Firefox（公共根证书）、Go 1.15+ 和 Safari/iOS 13+ 只拿 SAN 匹配主机名（RFC 6125 6.4.4）；只有 CN 的证书会被拒绝")],
                    T($"Reissue with the host names as SAN entries (openssl req -addext \"subjectAltName=DNS:{names.CommonName}\", certbot does it always).",
                      $"重新签发证书，把主机名写成 SAN 条目（openssl req -addext \"subjectAltName=DNS:{names.CommonName}\"；certbot 总是这样做）。"),
                    new Dictionary<string, object?> { ["host"] = null, ["subjectAltNames"] = Array.Empty<string>(), ["commonName"] = names.CommonName, ["rule"] = "cn-only" }));
            }

            return;
        }

        if (names.HasSan && names.Covers(host))
        {
            return;
        }

        var sanList = names.All.ToArray();
        var covers = string.Join(", ", sanList);
        var coversText = sanList.Length == 0 ? T("no name at all", "（无）") : Verbatim(covers);
        var evidence = new List<Text> { certLine, SanLine(sanList), T($"requested host: {host}", $"请求的主机名：{host}") };
        if (!names.HasSan)
        {
            evidence.Add(T($"the certificate has no SAN extension; its CN={names.CommonName} is ignored (Chrome 58+, RFC 6125)",
                $"证书没有 SAN 扩展；它的 CN={names.CommonName} 会被忽略（Chrome 58+，RFC 6125）"));
        }
        else if (names.CommonName is { } cn && cn.Equals(host, StringComparison.OrdinalIgnoreCase))
        {
            evidence.Add(T($"CN={cn} matches, but browsers ignore the CN when a SAN extension exists", $"CN={cn} 匹配，但证书有 SAN 扩展时浏览器会忽略 CN"));
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
                sanList.Length == 0
                    ? T($"certificate has no IP entry for {host}; it covers no name at all", $"证书中没有 {host} 的 IP 条目；它不覆盖任何名称")
                    : T($"certificate has no IP entry for {host}; it covers {covers}", $"证书中没有 {host} 的 IP 条目；它覆盖的是 {covers}"),
                evidence,
                names.DnsNames.Count > 0
                    ? T($"Connect with a name the certificate covers (e.g. wss://{names.DnsNames[0]}/…, adding it to DNS or /etc/hosts), or reissue with an IP SAN (public CAs rarely issue those).",
                        $"改用证书覆盖的名称连接（例如 wss://{names.DnsNames[0]}/…，需要时把它加进 DNS 或 /etc/hosts），或重新签发带 IP SAN 的证书（公共 CA 很少签发这种证书）。")
                    : null,
                data));
        }
        else
        {
            findings.Add(Finding.Create(Codes.TlsNameMismatch,
                sanList.Length == 0
                    ? T($"certificate covers no name at all, not {host}", $"证书没有覆盖任何名称，自然也不包括 {host}")
                    : T($"certificate covers {covers}, not {host}", $"证书覆盖 {covers}，不包括 {host}"),
                evidence,
                T($"Reissue the certificate with {host} in its SAN (certbot -d {host}), or use a host name it covers: {coversText}.",
                  $"重新签发证书，把 {host} 写进 SAN（certbot -d {host}），或改用证书覆盖的主机名：{coversText}。"),
                data));
        }
    }

    private static void CheckChain(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent, X509Certificate2Collection? customRoots,
        DateTimeOffset now, Text certLine, bool fromFiles, List<Finding> findings)
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

        var sentList = string.Join(" <- ", sent.Select(c => Short(c.Subject)));
        var sentLine = fromFiles
            ? T($"the files hold {sent.Count} certificate(s): {sentList}", $"文件中有 {sent.Count} 个证书：{sentList}")
            : T($"server sent {sent.Count} certificate(s): {sentList}", $"服务端发送了 {sent.Count} 个证书：{sentList}");
        // The Chinese of the trust store comes after a Chinese word ("不受…信任"), hence the space before --ca.
        var trust = customRoots is null
            ? T("the system trust store", "系统信任库")
            : T($"--ca ({customRoots.Count} certificate(s))", $" --ca（{customRoots.Count} 个证书）");
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
            findings.Add(Finding.Create(Codes.TlsSelfSigned,
                T($"the certificate is self-signed ({Short(leaf.Subject)}) and not trusted by {trust}", $"证书是自签名的（{Short(leaf.Subject)}），而{trust}不信任它"),
                [certLine, sentLine, T("issuer equals subject: nobody vouches for this certificate", "签发者与主体相同：没有第三方为这个证书担保")], data: data));
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
                fromFiles
                    ? T($"the files hold only the leaf, not the intermediate '{Short(leaf.Issuer)}'", $"文件中只有叶子证书，没有中间证书 '{Short(leaf.Issuer)}'")
                    : T($"the server sends only its own certificate, not the intermediate '{Short(leaf.Issuer)}'", $"服务端只发送了自己的证书，没有发送中间证书 '{Short(leaf.Issuer)}'"),
                [certLine, sentLine,
                 fromFiles
                    ? T($"no certificate for '{leaf.Issuer}' is in the files, and it is not in {trust}", $"文件中没有 '{leaf.Issuer}' 的证书，它也不在{trust}中")
                    : T($"no certificate for '{leaf.Issuer}' was sent, and it is not in {trust}", $"服务端没有发送 '{leaf.Issuer}' 的证书，它也不在{trust}中"),
                 T($"the certificate says its issuer can be downloaded from {aia} (AIA): that issuer is an intermediate",
                   $"证书注明可以从 {aia} 下载它的签发者（AIA）：说明签发者是中间证书"),
                 BrowsersMayFetchAia],
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
            var issuer = Short(leaf.Issuer);
            findings.Add(Finding.Create(Codes.TlsUntrustedRoot,
                T($"the certificate is issued by '{issuer}', which is neither sent nor trusted by {trust}",
                  $"证书的签发者 '{issuer}' 既没有随证书发送，也不受{trust}信任"),
                [certLine, sentLine, T($"issuer: {leaf.Issuer}", $"签发者：{leaf.Issuer}"),
                 T("the certificate names no download URL for its issuer (no AIA), as private CAs that issue directly do (mkcert, wsdoctor serve --tls-dev)",
                   "证书没有注明签发者的下载 URL（没有 AIA），直接签发证书的私有 CA 就是这样（mkcert、wsdoctor serve --tls-dev）"),
                 T($"two readings fit: (1, favoured) '{issuer}' is a private root the client does not trust; (2) it is an intermediate the server does not send",
                   $"两种解释都说得通：（1，更可能）'{issuer}' 是客户端不信任的私有根证书；（2）它是服务端没有发送的中间证书"),
                 T("favoured because leaves from public intermediates carry a caIssuers URL and this one does not; if you know it is an intermediate, serve the full chain instead",
                   "倾向于（1），因为公共中间证书签发的叶子证书都带 caIssuers URL，而这个没有；如果你确定它是中间证书，就改为提供完整证书链")],
                T($"Trust '{issuer}' on the client (--ca FILE here; NODE_EXTRA_CA_CERTS, SSL_CERT_FILE or the OS store elsewhere). If it is an intermediate instead, make the server send it after its certificate (fullchain.pem).",
                  $"在客户端信任 '{issuer}'（这里用 --ca FILE；其他地方用 NODE_EXTRA_CA_CERTS、SSL_CERT_FILE 或操作系统的证书库）。如果它其实是中间证书，就让服务端在自己的证书之后发送它（fullchain.pem）。"),
                data));
        }
        else if (flags.HasFlag(X509ChainStatusFlags.PartialChain) || flags.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            // The chain reaches a CA certificate whose root is unknown here. Servers do not send roots, so an
            // unknown issuer above the sent intermediates is an untrusted (private or corporate) root.
            var top = chain.ChainElements[^1].Certificate;
            var rootName = top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData) ? top.Subject : top.Issuer;
            var path = string.Join(" <- ", chain.ChainElements.Select(e => Short(e.Certificate.Subject)));
            data["root"] = rootName;
            findings.Add(Finding.Create(Codes.TlsUntrustedRoot,
                T($"the chain ends in '{Short(rootName)}', which is not trusted by {trust}", $"证书链的根是 '{Short(rootName)}'，而{trust}不信任它"),
                [certLine, sentLine, T($"root: {rootName}", $"根证书：{rootName}"),
                 T($"chain: {path} <- {Short(rootName)} (not trusted)", $"证书链：{path} <- {Short(rootName)}（不受信任）")],
                T($"Trust '{Short(rootName)}' on the client (or pass it with --ca FILE), or use a certificate from a public CA.",
                  $"在客户端信任 '{Short(rootName)}'（或用 --ca FILE 传入），或改用公共 CA 签发的证书。"),
                data));
        }
        else
        {
            var statuses = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            findings.Add(Finding.Create(Codes.TlsHandshakeFailed,
                T($"the certificate chain is invalid: {statuses}", $"证书链无效：{statuses}"),
                [certLine, sentLine, T($"chain status: {flags}", $"证书链状态：{flags}")],
                T("Reissue the certificate and serve the complete, valid chain.", "重新签发证书，并提供完整、有效的证书链。"), data));
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

    private static string RuleId(CertificateNames names, string host, IReadOnlyList<Text> rules) =>
        names.CoversByCommonNameOnly(host) ? "cn-only"
        : rules.Any(r => r.Contains("written as a DNS name", StringComparison.Ordinal)) ? "ip-in-dns-san"
        : rules.Any(r => r.Contains("never for none", StringComparison.Ordinal)) ? "wildcard-apex"
        : rules.Any(r => r.Contains("one whole left-most label", StringComparison.Ordinal)) ? "wildcard-depth"
        : "not-listed";

    private const X509ChainStatusFlags NameConstraintFlags = X509ChainStatusFlags.HasNotPermittedNameConstraint
        | X509ChainStatusFlags.HasExcludedNameConstraint | X509ChainStatusFlags.HasNotSupportedNameConstraint | X509ChainStatusFlags.HasNotDefinedNameConstraint;

    /// <summary>RFC 5280 4.2.1.10: a CA certificate's nameConstraints bind every certificate below it. The SAN may list
    /// the host and still not cover it, because the CA was never allowed to vouch for that name.</summary>
    private static Finding NameConstraintViolation(X509Chain chain, X509Certificate2 leaf, Text certLine, Text sentLine, X509ChainStatusFlags flags, Dictionary<string, object?> data)
    {
        var constrained = chain.ChainElements.Select(e => e.Certificate)
            .FirstOrDefault(c => c.Extensions.Any(x => x.Oid?.Value == "2.5.29.30"));
        var constraint = constrained?.Extensions.First(x => x.Oid?.Value == "2.5.29.30");
        var names = CertificateNames.Of(leaf).All.ToArray();
        var list = string.Join(", ", names);
        var ca = Short(constrained?.Subject ?? leaf.Issuer);
        var evidence = new List<Text>
        {
            certLine, sentLine,
            T($"Subject Alternative Names: {list}", $"SAN（主题备用名称）：{list}"),
            constrained is null
                ? T($"chain status: {flags}", $"证书链状态：{flags}")
                : T($"'{Short(constrained.Subject)}' carries nameConstraints: {constraint!.Format(multiLine: false)}",
                    $"'{Short(constrained.Subject)}' 带有 nameConstraints：{constraint!.Format(multiLine: false)}"),
            T("RFC 5280 4.2.1.10: every name of every certificate below a CA with nameConstraints must fall inside its permitted subtrees and outside its excluded ones; " +
              "a dNSName constraint example.com covers example.com and every name under it, .example.com only the names under it",
              "RFC 5280 4.2.1.10：在带 nameConstraints 的 CA 之下，每个证书的每个名称都必须落在它允许的子树之内、排除的子树之外；" +
              "dNSName 约束 example.com 覆盖 example.com 及其下所有名称，.example.com 只覆盖其下的名称"),
        };
        data["rule"] = "name-constraints";
        data["constrainedBy"] = constrained?.Subject;
        return Finding.Create(Codes.TlsNameMismatch,
            T($"the certificate names {list}, but its CA '{ca}' is not allowed to issue for {(names.Length == 1 ? "it" : "them")} (name constraints)",
              $"证书列出了 {list}，但它的 CA '{ca}' 无权为{(names.Length == 1 ? "这个名称" : "这些名称")}签发证书（名称约束）"),
            evidence,
            T($"Have the certificate issued by a CA whose name constraints permit these names, or ask the owner of '{ca}' to widen them.",
              $"改由名称约束允许这些名称的 CA 签发证书，或请 '{ca}' 的所有者放宽约束。"),
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

    /// <summary><see cref="Ago"/> in every language.</summary>
    public static Text AgoText(TimeSpan span) =>
        span.TotalDays >= 2 ? T(Ago(span), $"{span.TotalDays:0} 天")
        : span.TotalHours >= 2 ? T(Ago(span), $"{span.TotalHours:0} 小时")
        : span.TotalMinutes >= 2 ? T(Ago(span), $"{span.TotalMinutes:0} 分钟")
        : T(Ago(span), $"{span.TotalSeconds:0} 秒");

    private static string? CaIssuersUrl(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault()?.EnumerateCAIssuersUris().FirstOrDefault();
}
