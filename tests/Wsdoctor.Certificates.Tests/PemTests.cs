using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

public class PemTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Export_Certificate_OneNewlineTerminatedCertificateBlock()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));

        var pem = Pem.Export(leaf);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", pem);
        Assert.EndsWith("-----END CERTIFICATE-----\n", pem);
        Assert.Single(pem.Split("BEGIN").Skip(1));
        Assert.True(PemEncoding.TryFind(pem, out var fields));
        Assert.Equal(leaf.RawData, Convert.FromBase64String(pem[fields.Base64Data]));
    }

    [Fact]
    public void ExportChain_LeafAndIntermediate_LoadCertificatesReturnsBothInOrder()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        var path = directory.File("fullchain.pem");
        File.WriteAllText(path, Pem.ExportChain([leaf, pki.Intermediate.Certificate]));

        var loaded = Pem.LoadCertificates(path);

        Assert.Equal([leaf.Thumbprint, pki.Intermediate.Certificate.Thumbprint], loaded.Select(c => c.Thumbprint));
        Assert.All(loaded, c => Assert.False(c.HasPrivateKey));
    }

    [Fact]
    public void LoadCertificates_PemWithKeyAndComments_SkipsOtherBlocks()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        var path = directory.File("combined.pem");
        File.WriteAllText(path, "subject=CN=localhost\n" + Pem.ExportPrivateKey(leaf) + Pem.Export(leaf));

        var loaded = Assert.Single(Pem.LoadCertificates(path));

        Assert.Equal(leaf.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void LoadCertificates_DerFile_ReturnsTheCertificate()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        var path = directory.File("leaf.cer");
        File.WriteAllBytes(path, leaf.RawData);

        Assert.Equal(leaf.Thumbprint, Assert.Single(Pem.LoadCertificates(path)).Thumbprint);
    }

    [Fact]
    public void LoadCertificates_NoCertificate_MessageNamesFile()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        var path = directory.File("key-only.pem");
        File.WriteAllText(path, Pem.ExportPrivateKey(leaf));

        var error = Assert.Throws<InvalidDataException>(() => Pem.LoadCertificates(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("no certificate", error.Message);
    }

    [Fact]
    public void LoadCertificates_CorruptBlock_MessageNamesFile()
    {
        using var directory = new TempDirectory();
        var path = directory.File("corrupt.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<InvalidDataException>(() => Pem.LoadCertificates(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ExportPrivateKey_EcLeaf_Pkcs8Block()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));

        var pem = Pem.ExportPrivateKey(leaf);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem);
        Assert.EndsWith("-----END PRIVATE KEY-----\n", pem);
    }

    [Fact]
    public void ExportPrivateKey_PublicOnlyCertificate_Throws()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var publicOnly = X509CertificateLoader.LoadCertificate(leaf.RawData);

        Assert.Throws<ArgumentException>(() => Pem.ExportPrivateKey(publicOnly));
    }

    public static TheoryData<KeyKind, string> KeyFormats => new()
    {
        { KeyKind.EcdsaP256, "PKCS#8" },
        { KeyKind.EcdsaP256, "SEC1" },
        { KeyKind.Rsa2048, "PKCS#8" },
        { KeyKind.Rsa2048, "PKCS#1" },
    };

    [Theory]
    [MemberData(nameof(KeyFormats))]
    public void LoadWithKey_KeyFormat_CertificateWithMatchingPrivateKey(KeyKind kind, string format)
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost") with { Key = kind });
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cert.pem"), Pem.Export(leaf));
        File.WriteAllText(directory.File("key.pem"), KeyPem(leaf, format));

        using var loaded = Pem.LoadWithKey(directory.File("cert.pem"), directory.File("key.pem"));

        Assert.Equal(leaf.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(Pem.ExportPrivateKey(leaf), Pem.ExportPrivateKey(loaded));
    }

    [Fact]
    public void LoadWithKey_FullChainFile_UsesFirstCertificate()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("fullchain.pem"), Pem.ExportChain([leaf, pki.Intermediate.Certificate]));
        File.WriteAllText(directory.File("key.pem"), Pem.ExportPrivateKey(leaf));

        using var loaded = Pem.LoadWithKey(directory.File("fullchain.pem"), directory.File("key.pem"));

        Assert.Equal(leaf.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
    }

    [Fact]
    public void LoadWithKey_KeyOfAnotherCertificate_MessageNamesBothFiles()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var other = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cert.pem"), Pem.Export(leaf));
        File.WriteAllText(directory.File("key.pem"), Pem.ExportPrivateKey(other));

        var error = Assert.Throws<InvalidDataException>(
            () => Pem.LoadWithKey(directory.File("cert.pem"), directory.File("key.pem")));

        Assert.Contains(directory.File("cert.pem"), error.Message);
        Assert.Contains(directory.File("key.pem"), error.Message);
    }

    [Fact]
    public void LoadWithKey_RsaKeyForEcCertificate_MessageNamesKeyFile()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var rsa = RSA.Create(2048);
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cert.pem"), Pem.Export(leaf));
        File.WriteAllText(directory.File("key.pem"), rsa.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<InvalidDataException>(
            () => Pem.LoadWithKey(directory.File("cert.pem"), directory.File("key.pem")));

        Assert.Contains(directory.File("key.pem"), error.Message);
    }

    [Fact]
    public void LoadWithKey_EncryptedKey_SaysToDecrypt()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var ecdsa = leaf.GetECDsaPrivateKey()!;
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cert.pem"), Pem.Export(leaf));
        File.WriteAllText(directory.File("key.pem"), ecdsa.ExportEncryptedPkcs8PrivateKeyPem(
            "secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));

        var error = Assert.Throws<InvalidDataException>(
            () => Pem.LoadWithKey(directory.File("cert.pem"), directory.File("key.pem")));

        Assert.Contains("encrypted", error.Message);
        Assert.Contains(directory.File("key.pem"), error.Message);
    }

    [Fact]
    public void LoadWithKey_PublicKeyOnly_SaysNoPrivateKey()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var publicKey = leaf.GetECDsaPublicKey()!;
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("cert.pem"), Pem.Export(leaf));
        File.WriteAllText(directory.File("key.pem"), publicKey.ExportSubjectPublicKeyInfoPem());

        var error = Assert.Throws<InvalidDataException>(
            () => Pem.LoadWithKey(directory.File("cert.pem"), directory.File("key.pem")));

        Assert.Contains("no private key", error.Message);
    }

    private static string KeyPem(X509Certificate2 certificate, string format)
    {
        using var ecdsa = certificate.GetECDsaPrivateKey();
        using var rsa = certificate.GetRSAPrivateKey();
        var pem = (format, ecdsa, rsa) switch
        {
            ("PKCS#8", _, _) => Pem.ExportPrivateKey(certificate),
            ("SEC1", not null, _) => ecdsa.ExportECPrivateKeyPem(),
            ("PKCS#1", _, not null) => rsa.ExportRSAPrivateKeyPem(),
            _ => throw new ArgumentException($"{format} does not fit this key", nameof(format)),
        };
        var label = format switch { "SEC1" => "EC PRIVATE KEY", "PKCS#1" => "RSA PRIVATE KEY", _ => "PRIVATE KEY" };
        Assert.StartsWith($"-----BEGIN {label}-----", pem);
        return pem;
    }
}
