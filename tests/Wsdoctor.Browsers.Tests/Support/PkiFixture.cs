using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;

namespace Wsdoctor.Browsers.Tests.Support;

/// <summary>A throwaway root → intermediate hierarchy for the TLS tests, its root on disk for --ca.</summary>
public sealed class PkiFixture : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("wsdoctor-browser-tests-").FullName;

    public PkiFixture()
    {
        Now = DateTimeOffset.UtcNow;
        Pki = TestPki.Create(Now);
        CaFile = Pki.RootPemPath(directory);
    }

    public DateTimeOffset Now { get; }

    public TestPki Pki { get; }

    public string CaFile { get; }

    /// <summary>A leaf for localhost and 127.0.0.1 with the chain a correct server sends.</summary>
    public (X509Certificate2 Leaf, X509Certificate2Collection Chain) Localhost(string? caIssuersUrl = null)
    {
        var leaf = Pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost", "127.0.0.1") with { CaIssuersUrl = caIssuersUrl });
        return (leaf, Pki.ChainFor(leaf));
    }

    public void Dispose()
    {
        Pki.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
