using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

public class SelfSignedTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Create_Spec_LeafThatIsItsOwnIssuer()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost", "127.0.0.1"));

        Assert.Equal("CN=localhost", leaf.Issuer);
        Assert.Equal(leaf.Subject, leaf.Issuer);
        Assert.True(leaf.HasPrivateKey);
        Assert.False(leaf.Extension<X509BasicConstraintsExtension>().CertificateAuthority);
        Assert.Equal(leaf.SubjectKeyId(), leaf.AuthorityKeyId());
        Assert.Equal(["localhost"], leaf.Extension<X509SubjectAlternativeNameExtension>().EnumerateDnsNames());
        Assert.Equal(16, leaf.SerialNumberBytes.Length);
    }

    [Fact]
    public void Create_Dates_WrittenToTheSecond()
    {
        var spec = LeafSpec.ForHosts(Now, "localhost") with
        {
            NotBefore = Now.AddDays(-10),
            NotAfter = Now.AddDays(-1),
        };

        using var leaf = SelfSigned.Create(spec);

        Assert.Equal(spec.NotBefore, leaf.NotBeforeUtc());
        Assert.Equal(spec.NotAfter, leaf.NotAfterUtc());
    }

    [Fact]
    public void Create_SignatureVerifiesWithOwnKey()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(leaf);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime;

        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(s => s.Status)));
    }
}
