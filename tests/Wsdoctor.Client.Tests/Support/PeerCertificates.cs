using Wsdoctor.Certificates;

namespace Wsdoctor.Client.Tests.Support;

/// <summary>A fresh test CA and a localhost/127.0.0.1 leaf written as PEM files for the peers (cert with its
/// chain, key) and for the client (--ca).</summary>
public sealed class PeerCertificates : IDisposable
{
    private readonly TestPki _pki;

    public PeerCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        _pki = TestPki.Create(now);
        Directory = Path.Combine(Path.GetTempPath(), "wsdoctor-client-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        using var leaf = _pki.IssueLeaf(LeafSpec.ForHosts(now, "localhost", "127.0.0.1"));
        CertPath = Path.Combine(Directory, "server.pem");
        KeyPath = Path.Combine(Directory, "server.key");
        File.WriteAllText(CertPath, Pem.ExportChain([leaf, _pki.Intermediate.Certificate]));
        File.WriteAllText(KeyPath, Pem.ExportPrivateKey(leaf));
        CaPath = _pki.RootPemPath(Directory);
    }

    public string Directory { get; }

    public string CertPath { get; }

    public string KeyPath { get; }

    public string CaPath { get; }

    public void Dispose()
    {
        _pki.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
