using System.Net;

namespace Wsdoctor.Certificates.Tests;

public class LeafSpecTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void ForHosts_MixedHosts_IpLiteralsToIpAddressesNamesToDnsNames()
    {
        var spec = LeafSpec.ForHosts(Now, "localhost", "127.0.0.1", "[::1]", "ws.example.test", "fe80::1");

        Assert.Equal(["localhost", "ws.example.test"], spec.DnsNames);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("fe80::1")], spec.IpAddresses);
    }

    [Theory]
    [InlineData("10.1")]
    [InlineData("1")]
    public void ForHosts_InetAtonShorthand_TreatedAsDnsName(string host)
    {
        var spec = LeafSpec.ForHosts(Now, host);

        Assert.Equal([host], spec.DnsNames);
        Assert.Empty(spec.IpAddresses);
    }

    [Theory]
    [InlineData("[::1]", "::1")]
    [InlineData("example.test", "example.test")]
    public void ForHosts_FirstHost_BecomesCommonNameWithoutBrackets(string host, string commonName)
    {
        Assert.Equal(commonName, LeafSpec.ForHosts(Now, host, "other.test").CommonName);
    }

    [Fact]
    public void ForHosts_Validity_HourBeforeNowToNinetyDaysAfter()
    {
        var spec = LeafSpec.ForHosts(Now, "localhost");

        Assert.Equal(Now.AddHours(-1), spec.NotBefore);
        Assert.Equal(Now.AddDays(90), spec.NotAfter);
    }

    [Fact]
    public void ForHosts_Defaults_ServerAuthOnlyWithEcdsaP256()
    {
        var spec = LeafSpec.ForHosts(Now, "localhost");

        Assert.True(spec.ServerAuth);
        Assert.False(spec.ClientAuth);
        Assert.Equal(KeyKind.EcdsaP256, spec.Key);
    }

    [Fact]
    public void ForHosts_NoHosts_Throws()
    {
        Assert.Throws<ArgumentException>(() => LeafSpec.ForHosts(Now));
    }

    [Fact]
    public void ForHosts_BlankHost_Throws()
    {
        Assert.Throws<ArgumentException>(() => LeafSpec.ForHosts(Now, "localhost", " "));
    }
}
