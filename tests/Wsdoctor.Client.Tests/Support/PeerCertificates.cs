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

    /// <summary>A client certificate (clientAuth) for mutual TLS, written as PEM certificate and key files.</summary>
    public (string Cert, string Key) IssueClient(string commonName)
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = _pki.IssueLeaf(new LeafSpec(commonName, [], [], now.AddHours(-1), now.AddDays(1)) { ServerAuth = false, ClientAuth = true });
        var cert = Path.Combine(Directory, $"{commonName}.pem");
        var key = Path.Combine(Directory, $"{commonName}.key");
        File.WriteAllText(cert, Pem.Export(leaf));
        File.WriteAllText(key, Pem.ExportPrivateKey(leaf));
        return (cert, key);
    }

    /// <summary>Root and intermediate together: what a server needs to verify client certificates.</summary>
    public string ClientCaPath
    {
        get
        {
            var path = Path.Combine(Directory, "client-ca.pem");
            File.WriteAllText(path, Pem.ExportChain([_pki.Intermediate.Certificate, _pki.Root.Certificate]));
            return path;
        }
    }

    public string CertPath { get; }

    public string KeyPath { get; }

    public string CaPath { get; }

    public void Dispose()
    {
        _pki.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
