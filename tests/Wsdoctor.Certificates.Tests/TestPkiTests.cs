using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

public class TestPkiTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Create_Names_RandomRootFixedIntermediate()
    {
        using var first = TestPki.Create(Now);
        using var second = TestPki.Create(Now);

        Assert.Matches("^CN=wsdoctor test root CA [0-9a-f]{8}$", first.Root.Certificate.Subject);
        Assert.NotEqual(first.Root.Certificate.Subject, second.Root.Certificate.Subject);
        Assert.Equal("CN=wsdoctor test intermediate CA", first.Intermediate.Certificate.Subject);
        Assert.Equal(first.Root.Certificate.Subject, first.Intermediate.Certificate.Issuer);
    }

    [Fact]
    public void Create_Validity_DayBeforeNowToTenYearsAfter()
    {
        using var pki = TestPki.Create(Now);

        Assert.All([pki.Root.Certificate, pki.Intermediate.Certificate], ca =>
        {
            Assert.Equal(Now.AddDays(-1), ca.NotBeforeUtc());
            Assert.Equal(Now.AddYears(10), ca.NotAfterUtc());
        });
    }

    [Fact]
    public void IssueLeaf_Spec_IssuedByIntermediate()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));

        Assert.Equal("CN=wsdoctor test intermediate CA", leaf.Issuer);
        Assert.Equal(pki.Intermediate.Certificate.SubjectKeyId(), leaf.AuthorityKeyId());
    }

    [Fact]
    public void ChainFor_IntermediateLeaf_IntermediateOnlyWithoutPrivateKey()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));

        var chain = pki.ChainFor(leaf);

        var intermediate = Assert.Single(chain);
        Assert.Equal(pki.Intermediate.Certificate.Thumbprint, intermediate.Thumbprint);
        Assert.False(intermediate.HasPrivateKey);
    }

    [Fact]
    public void ChainFor_LeafIssuedByRoot_Empty()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.Root.Issue(LeafSpec.ForHosts(Now, "localhost"));

        Assert.Empty(pki.ChainFor(leaf));
    }

    [Fact]
    public void ChainFor_LeafOfAnotherPkiWithSameIntermediateName_Throws()
    {
        using var pki = TestPki.Create(Now);
        using var other = TestPki.Create(Now);
        using var foreign = other.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));

        Assert.Throws<ArgumentException>(() => pki.ChainFor(foreign));
    }

    [Fact]
    public void ChainFor_Leaf_BuildsOfflineToRoot()
    {
        using var pki = TestPki.Create(Now);
        using var leaf = pki.IssueLeaf(LeafSpec.ForHosts(Now, "localhost"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pki.Root.Certificate);
        chain.ChainPolicy.ExtraStore.AddRange(pki.ChainFor(leaf));
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;

        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(s => s.Status)));
        Assert.Equal(
            [leaf.Thumbprint, pki.Intermediate.Certificate.Thumbprint, pki.Root.Certificate.Thumbprint],
            chain.ChainElements.Select(e => e.Certificate.Thumbprint));
    }

    [Fact]
    public void RootPemPath_Directory_WritesLoadableCaPem()
    {
        using var pki = TestPki.Create(Now);
        using var directory = new TempDirectory();
        var target = Path.Combine(directory.Path, "nested");

        var path = pki.RootPemPath(target);

        Assert.Equal(Path.Combine(target, "ca.pem"), path);
        var root = Assert.Single(Pem.LoadCertificates(path));
        Assert.Equal(pki.Root.Certificate.Thumbprint, root.Thumbprint);
    }
}
