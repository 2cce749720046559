using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>A ready-made throwaway hierarchy, root → intermediate → leaves, for the fault lab and tests.
/// Leaves come from the intermediate, like from a public CA, so a server that forgets to send the
/// intermediate fails exactly as it would in production.</summary>
public sealed class TestPki : IDisposable
{
    private TestPki(CertificateAuthority root, CertificateAuthority intermediate)
    {
        Root = root;
        Intermediate = intermediate;
    }

    public CertificateAuthority Root { get; }

    public CertificateAuthority Intermediate { get; }

    /// <summary>Root "wsdoctor test root CA &lt;random&gt;" and intermediate "wsdoctor test intermediate CA",
    /// both valid from a day before <paramref name="now"/> for 10 years. The random suffix keeps roots of
    /// different runs apart, so trusting one never silently trusts another.</summary>
    public static TestPki Create(DateTimeOffset now)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var root = CertificateAuthority.CreateRoot($"wsdoctor test root CA {suffix}", now);
        try
        {
            return new TestPki(root, root.CreateIntermediate("wsdoctor test intermediate CA", now));
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>A leaf with private key, issued by <see cref="Intermediate"/>.</summary>
    public X509Certificate2 IssueLeaf(LeafSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Intermediate.Issue(spec with { CaIssuersUrl = spec.CaIssuersUrl ?? IntermediateUrl });
    }

    /// <summary>The caIssuers URL of the leaves the intermediate issues, as a public CA's would carry one. It points at
    /// the discard port on loopback: a client that tries to download the intermediate is refused at once, and
    /// nothing leaves the machine.</summary>
    public const string IntermediateUrl = "http://127.0.0.1:9/wsdoctor-test-intermediate.crt";

    /// <summary>What a server must send after <paramref name="leaf"/>: the intermediate for leaves it issued,
    /// nothing for leaves the root issued directly — never the root itself, which clients must already trust.
    /// The certificates are new public-only instances owned by the caller.</summary>
    /// <exception cref="ArgumentException">The leaf was issued by neither CA of this hierarchy.</exception>
    public X509Certificate2Collection ChainFor(X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (IsIssuedBy(leaf, Intermediate.Certificate))
        {
            return [X509CertificateLoader.LoadCertificate(Intermediate.Certificate.RawData)];
        }

        if (IsIssuedBy(leaf, Root.Certificate))
        {
            return [];
        }

        throw new ArgumentException($"{leaf.Subject} was not issued by this test PKI", nameof(leaf));
    }

    /// <summary>Writes the root certificate to <c>directory/ca.pem</c> (creating the directory) and returns
    /// that path, ready for <c>--ca FILE</c>.</summary>
    public string RootPemPath(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.GetFullPath(Path.Combine(directory, "ca.pem"));
        File.WriteAllText(path, Pem.Export(Root.Certificate));
        return path;
    }

    public void Dispose()
    {
        Intermediate.Dispose();
        Root.Dispose();
    }

    // Names are not enough: every TestPki's intermediate has the same name. The key identifiers differ,
    // because the SKI is a hash of each CA's own fresh key.
    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var authorityKeyId = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>()
            .FirstOrDefault()?.KeyIdentifier;
        var issuerKeyId = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>()
            .FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return authorityKeyId is { } aki && issuerKeyId is { } ski && aki.Span.SequenceEqual(ski.Span);
    }
}
