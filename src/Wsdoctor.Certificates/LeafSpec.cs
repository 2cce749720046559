using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Certificates;

/// <summary>What an end-entity certificate should say. The dates are written as given (whole seconds, fraction
/// dropped) — never clamped to the issuer's validity — so expired, not-yet-valid and outliving-the-CA leaves
/// can all be produced on purpose.</summary>
/// <param name="CommonName">Subject CN. Clients match names against the SAN only (RFC 6125 §6.4.4), so the CN
/// is informational unless it is also listed in <paramref name="DnsNames"/>.</param>
/// <param name="DnsNames">SAN dNSName entries; wildcards like <c>*.example.test</c> are allowed.</param>
/// <param name="IpAddresses">SAN iPAddress entries. A client connecting to an IP literal needs it here.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
public sealed record LeafSpec(
    string CommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter)
{
    /// <summary>Adds the serverAuth extended key usage. With neither <see cref="ServerAuth"/> nor
    /// <see cref="ClientAuth"/> the certificate has no EKU extension at all (usable for any purpose).</summary>
    public bool ServerAuth { get; init; } = true;

    /// <summary>Adds the clientAuth extended key usage (mutual TLS client certificates).</summary>
    public bool ClientAuth { get; init; }

    public KeyKind Key { get; init; } = KeyKind.EcdsaP256;

    /// <summary>Authority Information Access caIssuers URL (RFC 5280 4.2.2.1): where the issuer's certificate can be
    /// downloaded. Public CAs put one in every leaf they issue from an intermediate; private roots issuing leaves
    /// directly (mkcert, dev CAs) usually do not.</summary>
    public string? CaIssuersUrl { get; init; }

    /// <summary>A typical server leaf for <paramref name="hosts"/>: IP literals (<c>127.0.0.1</c>, <c>::1</c>,
    /// <c>[::1]</c>) become SAN IP entries, everything else SAN DNS names; the CN is the first host.
    /// Valid from an hour before <paramref name="now"/> (tolerates small clock skew) for 90 days.</summary>
    public static LeafSpec ForHosts(DateTimeOffset now, params string[] hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Length == 0)
        {
            throw new ArgumentException("at least one host name or IP address is needed", nameof(hosts));
        }

        var dnsNames = new List<string>();
        var ipAddresses = new List<IPAddress>();
        foreach (var host in hosts)
        {
            if (string.IsNullOrWhiteSpace(host))
            {
                throw new ArgumentException("host names must not be empty", nameof(hosts));
            }

            if (TryParseIpLiteral(host, out var ip))
            {
                ipAddresses.Add(ip);
            }
            else
            {
                dnsNames.Add(host);
            }
        }

        return new LeafSpec(Unbracket(hosts[0]), dnsNames, ipAddresses, now.AddHours(-1), now.AddDays(90));
    }

    // IPAddress.TryParse alone also accepts "1" or "10.1" (inet_aton shorthand), which are valid host names
    // here, so IPv4 must be a full dotted quad and IPv6 must contain a colon.
    private static bool TryParseIpLiteral(string host, out IPAddress address)
    {
        var text = Unbracket(host);
        if (IPAddress.TryParse(text, out var parsed)
            && (parsed.AddressFamily == AddressFamily.InterNetworkV6 || text.Split('.').Length == 4))
        {
            address = parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    private static string Unbracket(string host) =>
        host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
}
