using System.Net;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Probes.Tests.Browser;

/// <summary>The pure browser rules, with the standards' own examples.</summary>
public class BrowserRulesTests
{
    [Theory]
    // Chromium's kRestrictedPorts and the Fetch standard both list these.
    [InlineData(6000, true, true)]
    [InlineData(6665, true, true)]
    [InlineData(6669, true, true)]
    [InlineData(10080, true, true)]
    [InlineData(5060, true, true)]
    [InlineData(22, true, true)]
    // The Fetch standard (and Firefox) add 0, 4190 and 6679.
    [InlineData(4190, false, true)]
    [InlineData(6679, false, true)]
    [InlineData(0, false, true)]
    // Ordinary development ports are fine.
    [InlineData(8080, false, false)]
    [InlineData(3000, false, false)]
    [InlineData(6670, false, false)]
    [InlineData(443, false, false)]
    public void RestrictedPorts_Lists(int port, bool chromium, bool fetch)
    {
        var verdict = RestrictedPorts.Check(port);
        Assert.Equal(chromium, verdict.BlockedByChromium);
        Assert.Equal(fetch, verdict.BlockedByFetchStandard);
    }

    [Fact]
    public void RestrictedPorts_FetchListIsChromiumsPlusThree()
    {
        Assert.Equal([0, 4190, 6679], RestrictedPorts.FetchStandard.Keys.Except(RestrictedPorts.Chromium.Keys).Order());
        Assert.Empty(RestrictedPorts.Chromium.Keys.Except(RestrictedPorts.FetchStandard.Keys));
    }

    [Theory]
    // The "Non-public IP address blocks" table of Local Network Access, one row each.
    [InlineData("127.0.0.1", AddressSpace.Loopback)]
    [InlineData("127.255.0.9", AddressSpace.Loopback)]
    [InlineData("::1", AddressSpace.Loopback)]
    [InlineData("10.1.2.3", AddressSpace.Local)]
    [InlineData("100.64.0.1", AddressSpace.Local)]
    [InlineData("100.128.0.1", AddressSpace.Public)]
    [InlineData("172.16.0.1", AddressSpace.Local)]
    [InlineData("172.31.255.255", AddressSpace.Local)]
    [InlineData("172.32.0.1", AddressSpace.Public)]
    [InlineData("192.168.1.10", AddressSpace.Local)]
    [InlineData("198.18.0.1", AddressSpace.Loopback)]
    [InlineData("169.254.169.254", AddressSpace.Local)]
    [InlineData("fc00::1", AddressSpace.Local)]
    [InlineData("fd12:3456::1", AddressSpace.Local)]
    [InlineData("fe80::1", AddressSpace.Local)]
    [InlineData("fec0::1", AddressSpace.Local)]
    [InlineData("0.0.0.0", AddressSpace.Loopback)]
    [InlineData("0.1.2.3", AddressSpace.Local)]
    [InlineData("::", AddressSpace.Loopback)]
    [InlineData("2001:db8::1", AddressSpace.Local)]
    [InlineData("3fff::1", AddressSpace.Local)]
    [InlineData("8.8.8.8", AddressSpace.Public)]
    [InlineData("2606:4700::1111", AddressSpace.Public)]
    // IPv4-mapped addresses are judged by the IPv4 address inside.
    [InlineData("::ffff:192.168.0.1", AddressSpace.Local)]
    [InlineData("::ffff:127.0.0.1", AddressSpace.Loopback)]
    [InlineData("::ffff:8.8.8.8", AddressSpace.Public)]
    public void AddressSpaces_Table(string address, AddressSpace expected)
    {
        Assert.Equal(expected, AddressSpaces.Of(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(AddressSpace.Public, AddressSpace.Local, true)]
    [InlineData(AddressSpace.Public, AddressSpace.Loopback, true)]
    [InlineData(AddressSpace.Local, AddressSpace.Loopback, true)]
    [InlineData(AddressSpace.Local, AddressSpace.Local, false)]
    [InlineData(AddressSpace.Loopback, AddressSpace.Local, false)]
    [InlineData(AddressSpace.Loopback, AddressSpace.Public, false)]
    [InlineData(AddressSpace.Public, AddressSpace.Public, false)]
    public void LocalNetworkRequest_IsTowardsALessPublicSpace(AddressSpace page, AddressSpace target, bool expected)
    {
        Assert.Equal(expected, AddressSpaces.IsLocalNetworkRequest(page, target));
    }

    [Theory]
    // Secure Contexts 3.1 "Is origin potentially trustworthy?".
    [InlineData("https", "example.com", true)]
    [InlineData("wss", "example.com", true)]
    [InlineData("http", "127.0.0.1", true)]
    [InlineData("http", "127.8.9.10", true)]
    [InlineData("ws", "[::1]", true)]
    [InlineData("http", "localhost", true)]
    [InlineData("http", "localhost.", true)]
    [InlineData("ws", "app.localhost", true)]
    [InlineData("ws", "LOCALHOST", true)]
    // A name that resolves to loopback (e.g. through /etc/hosts) is still not trustworthy.
    [InlineData("ws", "myapp.test", false)]
    [InlineData("ws", "localhost.example.com", false)]
    [InlineData("http", "192.168.1.10", false)]
    [InlineData("ws", "[::ffff:127.0.0.1]", false)]
    public void Trustworthiness_FollowsSecureContexts(string scheme, string host, bool expected)
    {
        Assert.Equal(expected, Trustworthiness.IsPotentiallyTrustworthy(scheme, host));
    }

    [Theory]
    [InlineData("https://app.example.com", "ws://api.example.com/ws", true)]
    [InlineData("https://app.example.com", "ws://myapp.test:8080/", true)]
    [InlineData("https://app.example.com", "wss://api.example.com/ws", false)]
    [InlineData("https://app.example.com", "ws://localhost:8080/", false)]
    [InlineData("https://app.example.com", "ws://127.0.0.1:8080/", false)]
    [InlineData("https://app.example.com", "ws://[::1]:8080/", false)]
    [InlineData("https://app.example.com", "ws://dev.localhost:8080/", false)]
    [InlineData("http://app.example.com", "ws://api.example.com/ws", false)]
    [InlineData("http://localhost:3000", "ws://api.example.com/ws", false)]
    public void MixedContent_HttpsPageAndWs(string page, string url, bool blocked)
    {
        Assert.True(PageOrigin.TryParse(page, out var origin, out _));
        var verdict = MixedContent.Check(origin!, page + "/", new Uri(url));
        Assert.Equal(blocked, verdict.Blocked);
        Assert.Equal(blocked, verdict.ConsoleText is not null);
    }

    [Fact]
    public void MixedContent_QuotesChromiumsConsoleText()
    {
        Assert.True(PageOrigin.TryParse("https://app.example.com", out var origin, out _));
        var verdict = MixedContent.Check(origin!, "https://app.example.com/chat", new Uri("ws://api.example.com/ws"));
        Assert.Equal("Mixed Content: The page at 'https://app.example.com/chat' was loaded over HTTPS, but attempted to connect to the insecure WebSocket endpoint 'ws://api.example.com/ws'. This request has been blocked; this endpoint must be available over WSS.", verdict.ConsoleText);
    }

    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("https://app.example.com/", "https://app.example.com")]
    [InlineData("https://APP.example.com:443", "https://app.example.com")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080")]
    public void PageOrigin_Serializes(string text, string expected)
    {
        Assert.True(PageOrigin.TryParse(text, out var origin, out var error), error);
        Assert.Equal(expected, origin!.Serialized);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("ws://app.example.com")]
    [InlineData("https://app.example.com/index.html")]
    [InlineData("https://app.example.com/?q=1")]
    [InlineData("file:///tmp/x.html")]
    public void PageOrigin_RejectsNonOrigins(string text)
    {
        Assert.False(PageOrigin.TryParse(text, out _, out var error));
        Assert.NotEmpty(error.En);
    }
}
