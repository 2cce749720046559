using System.Net;
using Wsdoctor.Certificates;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Probes.Tests.Tls;

public class CertificateNamesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CertificateNames Dns(params string[] names) => new(names, [], names.FirstOrDefault(), true);

    private static CertificateNames Ips(params string[] addresses) => new([], addresses.Select(IPAddress.Parse).ToArray(), null, true);

    [Fact]
    public void Covers_ExactName_True()
    {
        Assert.True(Dns("api.example.com").Covers("api.example.com"));
    }

    [Fact]
    public void Covers_OtherName_False()
    {
        Assert.False(Dns("api.example.com").Covers("www.example.com"));
    }

    [Theory]
    [InlineData("API.Example.COM")]
    [InlineData("api.example.com")]
    public void Covers_DifferentCase_True(string host)
    {
        // DNS names are case-insensitive (RFC 4343), on both sides.
        Assert.True(Dns("Api.EXAMPLE.com").Covers(host));
    }

    [Theory]
    [InlineData("a.example.com", true)]
    [InlineData("WWW.EXAMPLE.COM", true)]
    [InlineData("example.com", false)]
    [InlineData("a.b.example.com", false)]
    [InlineData(".example.com", false)]
    [InlineData("a.example.org", false)]
    [InlineData("aexample.com", false)]
    public void Covers_Wildcard_MatchesExactlyOneLeftmostLabel(string host, bool expected)
    {
        Assert.Equal(expected, Dns("*.example.com").Covers(host));
    }

    [Fact]
    public void Covers_WildcardAndApexBothListed_CoversBoth()
    {
        var names = Dns("*.example.com", "example.com");

        Assert.True(names.Covers("example.com"));
        Assert.True(names.Covers("ws.example.com"));
        Assert.False(names.Covers("eu.ws.example.com"));
    }

    [Fact]
    public void Covers_WildcardNotInLeftmostLabel_IsNotAWildcard()
    {
        Assert.False(Dns("ws.*.example.com").Covers("ws.eu.example.com"));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    public void Covers_IpHost_MatchesIpSanEntries(string host, bool expected)
    {
        Assert.Equal(expected, Ips("127.0.0.1").Covers(host));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("0:0:0:0:0:0:0:1")]
    public void Covers_Ipv6Host_MatchesWithOrWithoutBrackets(string host)
    {
        Assert.True(Ips("::1").Covers(host));
    }

    [Fact]
    public void Covers_IpHostListedOnlyAsDnsName_False()
    {
        // Browsers match an IP literal against iPAddress SAN entries only; "127.0.0.1" as a dNSName does not count.
        Assert.False(Dns("127.0.0.1", "localhost").Covers("127.0.0.1"));
    }

    [Fact]
    public void Covers_DnsHostAgainstIpSanOnly_False()
    {
        Assert.False(Ips("127.0.0.1").Covers("localhost"));
    }

    [Theory]
    [InlineData("example.com", "example.com.")]
    [InlineData("example.com.", "example.com")]
    [InlineData("*.example.com", "ws.example.com.")]
    public void Covers_TrailingDot_IsTheSameName(string pattern, string host)
    {
        Assert.True(Dns(pattern).Covers(host));
    }

    [Fact]
    public void Of_LeafWithDnsAndIpSans_ReadsBoth()
    {
        using var leaf = SelfSigned.Create(LeafSpec.ForHosts(Now, "localhost", "*.dev.example", "127.0.0.1", "::1"));

        var names = CertificateNames.Of(leaf);

        Assert.True(names.HasSan);
        Assert.Equal(new[] { "localhost", "*.dev.example" }, names.DnsNames);
        Assert.Equal(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }, names.IpAddresses);
        Assert.Equal("localhost", names.CommonName);
        Assert.True(names.Covers("api.dev.example"));
        Assert.True(names.Covers("[::1]"));
    }

    [Fact]
    public void Of_CnOnlyLeaf_HasNoSanAndCoversNothing()
    {
        using var leaf = SelfSigned.Create(new LeafSpec("legacy.example.com", [], [], Now.AddDays(-1), Now.AddDays(30)));

        var names = CertificateNames.Of(leaf);

        Assert.False(names.HasSan);
        Assert.Equal("legacy.example.com", names.CommonName);
        Assert.Empty(names.All);
        // Chrome 58+ and RFC 6125 6.4.4: the CN is not consulted.
        Assert.False(names.Covers("legacy.example.com"));
    }
}

public class CertificateNameRulesTests
{
    private static CertificateNames Dns(params string[] names) => new(names, [], names.FirstOrDefault(), true);

    [Fact]
    public void RulesAgainst_TwoLabelsUnderAWildcard_QuotesTheOneLabelRule()
    {
        var rule = Assert.Single(Dns("*.example.com").RulesAgainst("a.b.example.com"));

        Assert.Contains("one whole left-most label only", rule, StringComparison.Ordinal);
        Assert.Contains("RFC 6125 6.4.3", rule, StringComparison.Ordinal);
    }

    [Fact]
    public void RulesAgainst_ApexUnderAWildcard_SaysAWildcardIsNeverNoLabel()
    {
        Assert.Contains("never for none", Assert.Single(Dns("*.example.com").RulesAgainst("example.com")), StringComparison.Ordinal);
    }

    [Fact]
    public void RulesAgainst_IpWrittenAsDnsName_SaysOnlyAnIpEntryMatches()
    {
        Assert.Contains("only matches an iPAddress SAN entry", Assert.Single(Dns("127.0.0.1").RulesAgainst("127.0.0.1")), StringComparison.Ordinal);
    }

    [Fact]
    public void CoversByCommonNameOnly_NoSanAndMatchingCn_True_WithSan_False()
    {
        Assert.True(new CertificateNames([], [], "legacy.example.com", false).CoversByCommonNameOnly("legacy.example.com"));
        Assert.False(new CertificateNames(["other.example.com"], [], "legacy.example.com", true).CoversByCommonNameOnly("legacy.example.com"));
    }
}
