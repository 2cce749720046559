using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates.Tests;

public class CertificateAuthorityTests
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    // Milliseconds on purpose: certificates hold whole seconds.
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void CreateRoot_Default_SelfSignedCaWithoutPathLength()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        var certificate = root.Certificate;

        Assert.Equal("CN=test root", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.True(certificate.HasPrivateKey);
        var constraints = certificate.Extension<X509BasicConstraintsExtension>();
        Assert.True(constraints.CertificateAuthority);
        Assert.False(constraints.HasPathLengthConstraint);
        Assert.True(constraints.Critical);
        var usage = certificate.Extension<X509KeyUsageExtension>();
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.True(usage.Critical);
        Assert.Equal(certificate.SubjectKeyId(), certificate.AuthorityKeyId());
        Assert.Equal("1.2.840.10045.2.1", certificate.GetKeyAlgorithm());
    }

    [Fact]
    public void CreateRoot_DefaultLifetime_DayBeforeNowToTenYearsAfter()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);

        Assert.Equal(Now.AddDays(-1).TruncatedToSecond(), root.Certificate.NotBeforeUtc());
        Assert.Equal(Now.AddYears(10).TruncatedToSecond(), root.Certificate.NotAfterUtc());
    }

    [Fact]
    public void CreateRoot_Lifetime_EndsLifetimeAfterNow()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now, TimeSpan.FromHours(5));

        Assert.Equal(Now.AddHours(5).TruncatedToSecond(), root.Certificate.NotAfterUtc());
    }

    [Fact]
    public void CreateIntermediate_FromRoot_PathLengthZeroSignedByRoot()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var intermediate = root.CreateIntermediate("test intermediate", Now);
        var certificate = intermediate.Certificate;

        Assert.Equal("CN=test root", certificate.Issuer);
        Assert.True(certificate.HasPrivateKey);
        var constraints = certificate.Extension<X509BasicConstraintsExtension>();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
            certificate.Extension<X509KeyUsageExtension>().KeyUsages);
        Assert.Equal(root.Certificate.SubjectKeyId(), certificate.AuthorityKeyId());
        Assert.NotEqual(root.Certificate.SubjectKeyId(), certificate.SubjectKeyId());
    }

    [Fact]
    public void CreateIntermediate_FromIntermediate_ThrowsBecausePathLengthZero()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var intermediate = root.CreateIntermediate("test intermediate", Now);

        var error = Assert.Throws<InvalidOperationException>(() => intermediate.CreateIntermediate("deeper", Now));
        Assert.Contains("pathLen 0", error.Message);
    }

    [Fact]
    public void CreateIntermediate_ShortLivedRoot_CutToRootValidity()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now, TimeSpan.FromDays(30));
        using var intermediate = root.CreateIntermediate("test intermediate", Now.AddDays(-5));

        Assert.Equal(root.Certificate.NotBeforeUtc(), intermediate.Certificate.NotBeforeUtc());
        Assert.Equal(root.Certificate.NotAfterUtc(), intermediate.Certificate.NotAfterUtc());
    }

    [Fact]
    public void Issue_ServerLeaf_EndEntityExtensionsAndNames()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var leaf = root.Issue(LeafSpec.ForHosts(Now, "localhost", "127.0.0.1", "::1"));

        Assert.Equal("CN=localhost", leaf.Subject);
        Assert.Equal("CN=test root", leaf.Issuer);
        Assert.True(leaf.HasPrivateKey);
        var constraints = leaf.Extension<X509BasicConstraintsExtension>();
        Assert.False(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = leaf.Extension<X509KeyUsageExtension>();
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.True(usage.Critical);
        Assert.Equal([ServerAuthOid], leaf.EkuOids());
        var names = leaf.Extension<X509SubjectAlternativeNameExtension>();
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.Equal(root.Certificate.SubjectKeyId(), leaf.AuthorityKeyId());
        Assert.NotEmpty(leaf.SubjectKeyId());
    }

    [Theory]
    [InlineData(KeyKind.EcdsaP256, "1.2.840.10045.2.1", 256, X509KeyUsageFlags.DigitalSignature)]
    [InlineData(KeyKind.Rsa2048, "1.2.840.113549.1.1.1", 2048,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment)]
    [InlineData(KeyKind.Rsa1024, "1.2.840.113549.1.1.1", 1024,
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment)]
    public void Issue_KeyKind_KeyAlgorithmSizeAndUsage(KeyKind kind, string algorithmOid, int keySize, X509KeyUsageFlags usage)
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var leaf = root.Issue(LeafSpec.ForHosts(Now, "localhost") with { Key = kind });

        Assert.Equal(algorithmOid, leaf.GetKeyAlgorithm());
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)leaf.GetECDsaPrivateKey() ?? leaf.GetRSAPrivateKey()!;
        Assert.Equal(keySize, key.KeySize);
        Assert.Equal(usage, leaf.Extension<X509KeyUsageExtension>().KeyUsages);
    }

    [Theory]
    [InlineData(true, false, new[] { ServerAuthOid })]
    [InlineData(false, true, new[] { ClientAuthOid })]
    [InlineData(true, true, new[] { ServerAuthOid, ClientAuthOid })]
    public void Issue_Purposes_ExtendedKeyUsage(bool serverAuth, bool clientAuth, string[] oids)
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var leaf = root.Issue(LeafSpec.ForHosts(Now, "localhost") with
        {
            ServerAuth = serverAuth,
            ClientAuth = clientAuth,
        });

        Assert.Equal(oids, leaf.EkuOids());
    }

    [Fact]
    public void Issue_NoPurpose_NoExtendedKeyUsageExtension()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var leaf = root.Issue(LeafSpec.ForHosts(Now, "localhost") with { ServerAuth = false });

        Assert.Empty(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
    }

    [Fact]
    public void Issue_NoNames_CommonNameOnlyWithoutSanExtension()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        using var leaf = root.Issue(new LeafSpec("legacy.example.test", [], [], Now, Now.AddDays(1)));

        Assert.Equal("CN=legacy.example.test", leaf.Subject);
        Assert.Empty(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
    }

    [Fact]
    public void Issue_Dates_WrittenToTheSecond()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        var spec = LeafSpec.ForHosts(Now, "localhost") with
        {
            NotBefore = Now.AddMinutes(7).AddMilliseconds(250),
            NotAfter = Now.AddDays(3).AddSeconds(11),
        };

        using var leaf = root.Issue(spec);

        Assert.Equal(spec.NotBefore.TruncatedToSecond(), leaf.NotBeforeUtc());
        Assert.Equal(spec.NotAfter.TruncatedToSecond(), leaf.NotAfterUtc());
    }

    [Fact]
    public void Issue_LeafOutlivingCa_DatesNotClamped()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now, TimeSpan.FromDays(1));
        using var leaf = root.Issue(LeafSpec.ForHosts(Now, "localhost"));

        Assert.True(leaf.NotAfter > root.Certificate.NotAfter);
        Assert.Equal(Now.AddDays(90).TruncatedToSecond(), leaf.NotAfterUtc());
    }

    [Fact]
    public void Issue_ExpiredLeafOlderThanCa_DatesNotClamped()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        var spec = LeafSpec.ForHosts(Now, "localhost") with
        {
            NotBefore = Now.AddDays(-400),
            NotAfter = Now.AddDays(-35),
        };

        using var leaf = root.Issue(spec);

        Assert.Equal(spec.NotBefore.TruncatedToSecond(), leaf.NotBeforeUtc());
        Assert.Equal(spec.NotAfter.TruncatedToSecond(), leaf.NotAfterUtc());
    }

    [Fact]
    public void Issue_SerialNumbers_SixteenRandomBytesPositive()
    {
        using var root = CertificateAuthority.CreateRoot("test root", Now);
        var serials = Enumerable.Range(0, 32)
            .Select(_ =>
            {
                using var leaf = root.Issue(LeafSpec.ForHosts(Now, "localhost"));
                return leaf.SerialNumberBytes.ToArray();
            })
            .Append(root.Certificate.SerialNumberBytes.ToArray())
            .ToArray();

        Assert.All(serials, serial =>
        {
            Assert.Equal(16, serial.Length);
            Assert.InRange(serial[0], 0x01, 0x7F);
        });
        Assert.Equal(serials.Length, serials.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void Issue_AfterDispose_Throws()
    {
        var root = CertificateAuthority.CreateRoot("test root", Now);
        root.Dispose();

        Assert.Throws<ObjectDisposedException>(() => root.Issue(LeafSpec.ForHosts(Now, "localhost")));
    }
}
