using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Probes.Tls;

/// <summary>The names a certificate covers, and whether a host is one of them, as browsers decide it
/// (RFC 6125 6.4: SAN only, the CN is ignored when a SAN exists and CN-only certificates are rejected by
/// Chrome since 58; a wildcard covers exactly one left-most label).</summary>
internal sealed record CertificateNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses, string? CommonName, bool HasSan)
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
