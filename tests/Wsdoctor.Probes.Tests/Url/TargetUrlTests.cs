using Wsdoctor.Probes.Url;

namespace Wsdoctor.Probes.Tests.Url;

public class TargetUrlTests
{
    [Theory]
    [InlineData("ws://example.com/ws", "example.com")]
    [InlineData("ws://example.com:80/ws", "example.com")]
    [InlineData("wss://example.com/ws", "example.com")]
    [InlineData("wss://example.com:443/ws", "example.com")]
    public void HostHeader_DefaultPort_IsOmitted(string url, string expected)
    {
        Assert.Equal(expected, new TargetUrl(new Uri(url)).HostHeader);
    }

    [Theory]
    [InlineData("ws://example.com:8080/ws", "example.com:8080")]
    [InlineData("wss://example.com:8443/ws", "example.com:8443")]
    // The default port of the *other* scheme is not a default here: a server behind wss://host:80 sees "host:80".
    [InlineData("wss://example.com:80/ws", "example.com:80")]
    [InlineData("ws://example.com:443/ws", "example.com:443")]
    public void HostHeader_OtherPort_IsKept(string url, string expected)
    {
        Assert.Equal(expected, new TargetUrl(new Uri(url)).HostHeader);
    }

    [Theory]
    [InlineData("ws://[::1]:8080/x", "[::1]:8080")]
    [InlineData("ws://[::1]/x", "[::1]")]
    [InlineData("wss://[2001:db8::1]:8443/", "[2001:db8::1]:8443")]
    public void HostHeader_Ipv6Literal_IsBracketed(string url, string expected)
    {
        Assert.Equal(expected, new TargetUrl(new Uri(url)).HostHeader);
    }

    [Fact]
    public void HostHeader_InternationalName_IsPunycode()
    {
        // RFC 9110 7.2 / browsers: the Host header carries the A-label, never raw UTF-8.
        Assert.Equal("xn--bcher-kva.example:8080", new TargetUrl(new Uri("ws://bücher.example:8080/")).HostHeader);
    }

    [Theory]
    [InlineData("ws://localhost:8080/ws", "http://localhost:8080")]
    [InlineData("wss://example.com/ws", "https://example.com")]
    [InlineData("wss://example.com:8443/ws?x=1", "https://example.com:8443")]
    [InlineData("ws://[::1]:3000/", "http://[::1]:3000")]
    public void SameHostOrigin_MapsSchemeAndKeepsNonDefaultPort(string url, string expected)
    {
        Assert.Equal(expected, new TargetUrl(new Uri(url)).SameHostOrigin);
    }

    [Theory]
    [InlineData("ws://localhost:8080", "/")]
    [InlineData("ws://localhost:8080/chat?room=1", "/chat?room=1")]
    public void PathAndQuery_NoPath_IsSlash(string url, string expected)
    {
        Assert.Equal(expected, new TargetUrl(new Uri(url)).PathAndQuery);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:8080/", true)]
    [InlineData("ws://[::1]:8080/", true)]
    [InlineData("ws://localhost:8080/", false)]
    public void HostIsIpLiteral_OnlyForAddresses(string url, bool expected)
    {
        Assert.Equal(expected, new TargetUrl(new Uri(url)).HostIsIpLiteral);
    }

    [Fact]
    public void WithPathAndQuery_KeepsSchemeHostAndPort()
    {
        var moved = new TargetUrl(new Uri("wss://example.com:8443/ws?x=1")).WithPathAndQuery("/socket.io/?EIO=4");

        Assert.Equal("wss://example.com:8443/socket.io/?EIO=4", moved.Uri.ToString());
        Assert.Equal("example.com:8443", moved.HostHeader);
    }
}
