using System.Net;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

/// <summary>The names a certificate covers, and whether a host is one of them, as browsers decide it
/// (RFC 6125 6.4: SAN only, the CN is ignored when a SAN exists and CN-only certificates are rejected by
/// Chrome since 58; a wildcard covers exactly one left-most label).</summary>
public sealed record CertificateNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses, string? CommonName, bool HasSan)
{
    public IEnumerable<string> All => DnsNames.Concat(IpAddresses.Select(ip => ip.ToString()));

    public static CertificateNames Of(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return san is null
            ? new CertificateNames([], [], cn, false)
            : new CertificateNames(san.EnumerateDnsNames().ToArray(), san.EnumerateIPAddresses().ToArray(), cn, true);
    }

    public bool Covers(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return IpAddresses.Any(a => a.Equals(ip));
        }

        var name = host.TrimEnd('.');
        return DnsNames.Any(pattern => Matches(pattern.TrimEnd('.'), name));
    }

    /// <summary>The host is named only by the subject CN of a certificate without any SAN extension: the case clients
    /// disagree on (<see cref="TlsClientProfile.CommonNameFallback"/>).</summary>
    public bool CoversByCommonNameOnly(string host) =>
        !HasSan && CommonName is { } cn && !IPAddress.TryParse(host.Trim('[', ']'), out _) && Matches(cn.TrimEnd('.'), host.TrimEnd('.'));

    /// <summary>Why the host is not covered, one line per rule that decided it (empty when it is covered), so a
    /// finding can quote the exact rule instead of "mismatch".</summary>
    public IReadOnlyList<Text> RulesAgainst(string host)
    {
        var rules = new List<Text>();
        var bare = host.Trim('[', ']').TrimEnd('.');
        if (IPAddress.TryParse(bare, out var ip))
        {
            if (DnsNames.Any(n => n.Equals(bare, StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(n, out var written) && written.Equals(ip))))
            {
                rules.Add(T($"{bare} is written as a DNS name (DNS:{bare}), and an IP address only matches an iPAddress SAN entry (IP:{bare}); RFC 6125 6.4.4, RFC 9525 6.2",
                    $"{bare} 被写成了 DNS 名称（DNS:{bare}），而 IP 地址只匹配 iPAddress 类型的 SAN 条目（IP:{bare}）；RFC 6125 6.4.4、RFC 9525 6.2"));
            }
            else if (CommonName is { } cnIp && cnIp == bare)
            {
                rules.Add(T($"an IP address is never matched against the CN (CN={cnIp}); it needs an iPAddress SAN entry (IP:{bare})",
                    $"IP 地址从不与 CN 匹配（CN={cnIp}）；需要一个 iPAddress 类型的 SAN 条目（IP:{bare}）"));
            }

            return rules;
        }

        if (!HasSan)
        {
            rules.Add(CommonName is { } only && Matches(only.TrimEnd('.'), bare)
                ? T($"the certificate has no SAN extension and names {bare} only in its CN: Chromium (58+), Firefox (public roots) and Go (1.15+) ignore the CN, so it is rejected by browsers; RFC 6125 6.4.4",
                    $"证书没有 SAN 扩展，只在 CN 中写了 {bare}：Chromium（58+）、Firefox（公共根证书）和 Go（1.15+）会忽略 CN，所以浏览器会拒绝它；RFC 6125 6.4.4")
                : T($"the certificate has no SAN extension; its CN={CommonName} would not match {bare} either",
                    $"证书没有 SAN 扩展；它的 CN={CommonName} 也不匹配 {bare}"));
            return rules;
        }

        foreach (var pattern in DnsNames.Where(p => p.StartsWith("*.", StringComparison.Ordinal)))
        {
            var suffix = pattern[2..].TrimEnd('.');
            if (bare.Equals(suffix, StringComparison.OrdinalIgnoreCase))
            {
                rules.Add(T($"{pattern} does not cover {bare} itself: a wildcard stands for exactly one label, never for none (RFC 6125 6.4.3); list {suffix} as its own SAN",
                    $"{pattern} 不覆盖 {bare} 本身：通配符恰好代表一个标签，不能一个都不代表（RFC 6125 6.4.3）；把 {suffix} 单独列为一个 SAN"));
            }
            else if (bare.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase))
            {
                var parent = bare[(bare.IndexOf('.', StringComparison.Ordinal) + 1)..];
                rules.Add(T($"{pattern} does not cover {bare}: a wildcard matches one whole left-most label only, so *.{suffix} covers x.{suffix} but not x.y.{suffix} (RFC 6125 6.4.3); add *.{parent} or {bare}",
                    $"{pattern} 不覆盖 {bare}：通配符只匹配最左边的一整个标签，所以 *.{suffix} 覆盖 x.{suffix}，但不覆盖 x.y.{suffix}（RFC 6125 6.4.3）；请添加 *.{parent} 或 {bare}"));
            }
        }

        if (CommonName is { } cn && Matches(cn.TrimEnd('.'), bare))
        {
            rules.Add(T($"CN={cn} matches, but the CN is ignored when a SAN extension exists (RFC 6125 6.4.4)",
                $"CN={cn} 匹配，但有 SAN 扩展时 CN 会被忽略（RFC 6125 6.4.4）"));
        }

        return rules;
    }

    private static bool Matches(string pattern, string host)
    {
        if (pattern.Equals(host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && host[(dot + 1)..].Equals(pattern[2..], StringComparison.OrdinalIgnoreCase);
    }
}
