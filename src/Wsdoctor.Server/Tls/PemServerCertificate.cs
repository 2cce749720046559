using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;

namespace Wsdoctor.Server.Tls;

/// <summary>--tls-cert/--tls-key: loads the chain as the file holds it and says what clients will trip over —
/// above all a missing intermediate, which browsers often paper over (AIA fetching, cached intermediates) while
/// Node, Python, Go and curl fail with "unable to get local issuer certificate".</summary>
public static class PemServerCertificate
{
    /// <exception cref="InvalidDataException">Unreadable files, or a key that does not belong to the certificate.</exception>
    public static ServerCertificate Load(string certPath, string keyPath, DateTimeOffset now)
    {
        var all = Pem.LoadCertificates(certPath);
        var leaf = Pem.LoadWithKey(certPath, keyPath);
        var rest = new X509Certificate2Collection();
        foreach (var certificate in all.Skip(1))
        {
            rest.Add(certificate);
        }

        all[0].Dispose();
        var warnings = new List<TlsWarning>();
        if (now < leaf.NotBefore)
        {
            warnings.Add(new TlsWarning("tls.not-yet-valid", $"the certificate in {certPath} is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; clients reject it until then (check the clock)"));
        }
        else if (now > leaf.NotAfter)
        {
            warnings.Add(new TlsWarning("tls.expired", $"the certificate in {certPath} expired {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; clients reject it (renew it)"));
        }

        var served = BuildPath(leaf, rest);
        var last = served.Count > 0 ? served[^1] : leaf;
        if (served.Count == 0 && !IsSelfSigned(leaf) && !IsSystemRoot(leaf.IssuerName))
        {
            // A leaf alone is correct only when its issuer is a root the clients trust (mkcert, a company CA):
            // that cannot be told from the file, so the warning says both.
            warnings.Add(new TlsWarning("tls.incomplete-chain",
                $"{certPath} holds only the leaf; its issuer \"{last.Issuer}\" is not in the file. If that is an intermediate CA, clients without it fail with 'unable to get local issuer certificate': append it to {certPath} (leaf first). See: wsdoctor explain tls.incomplete-chain"));
        }

        return new ServerCertificate(leaf, rest, warnings);
    }

    /// <summary>The certificates of the file that continue the leaf's chain, in order, by name and key identifier.</summary>
    private static List<X509Certificate2> BuildPath(X509Certificate2 leaf, X509Certificate2Collection candidates)
    {
        var path = new List<X509Certificate2>();
        var current = leaf;
        for (var depth = 0; depth < candidates.Count && !IsSelfSigned(current); depth++)
        {
            var issuer = candidates.FirstOrDefault(c => !path.Contains(c) && IsIssuerOf(c, current));
            if (issuer is null)
            {
                break;
            }

            path.Add(issuer);
            current = issuer;
        }

        return path;
    }

    private static bool IsIssuerOf(X509Certificate2 issuer, X509Certificate2 subject)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(subject.IssuerName.RawData))
        {
            return false;
        }

        var aki = subject.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var ski = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return aki is not { } a || ski is not { } s || a.Span.SequenceEqual(s.Span);
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static bool IsSystemRoot(X500DistinguishedName issuer)
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var roots = store.Certificates;
            var found = roots.Any(c => c.SubjectName.RawData.AsSpan().SequenceEqual(issuer.RawData));
            foreach (var c in roots)
            {
                c.Dispose();
            }

            return found;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
