using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>The extensions of an end-entity (TLS server or client) certificate, as public CAs issue them.</summary>
internal static class LeafProfile
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    public static CertificateRequest CreateRequest(LeafSpec spec, KeyPair key)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var request = key.CreateRequest(DistinguishedName.FromCommonName(spec.CommonName));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));

        // keyEncipherment only matters for RSA key transport (TLS 1.2 RSA cipher suites); an ECDSA key cannot
        // encipher, and strict validators reject the bit on one.
        var usage = X509KeyUsageFlags.DigitalSignature | (key.IsRsa ? X509KeyUsageFlags.KeyEncipherment : 0);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));

        var purposes = new OidCollection();
        if (spec.ServerAuth)
        {
            purposes.Add(ServerAuth);
        }

        if (spec.ClientAuth)
        {
            purposes.Add(ClientAuth);
        }

        if (purposes.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(purposes, critical: false));
        }

        if (spec.CaIssuersUrl is { } caIssuers)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(ocspUris: null, caIssuersUris: [caIssuers]));
        }

        // RFC 5280 §4.2.1.6 forbids an empty SAN extension, so a spec without names yields a CN-only
        // certificate — which is itself a defect worth reproducing (clients ignore the CN).
        if (spec.DnsNames.Count + spec.IpAddresses.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in spec.DnsNames)
            {
                names.AddDnsName(dnsName);
            }

            foreach (var address in spec.IpAddresses)
            {
                names.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(names.Build(critical: false));
        }

        return request;
    }
}
