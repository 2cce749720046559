using Wsdoctor.Probes.Dns;

namespace Wsdoctor.Probes.Tests.Dns;

public class ConnectTargetTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("localhost:1", "localhost", 1)]
    [InlineData("backend.internal:65535", "backend.internal", 65535)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("[2001:db8::7]:443", "2001:db8::7", 443)]
    public void TryParse_HostAndPort_Parses(string text, string host, int port)
    {
        Assert.True(ConnectTarget.TryParse(text, out var target));

        Assert.Equal(new ConnectTarget(host, port, Overridden: true), target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":8080")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:http")]
    [InlineData("localhost:+80")]
    [InlineData("localhost:-80")]
    [InlineData("localhost:99999999999")]
    [InlineData("[::1]")]
    [InlineData("[]:8080")]
    public void TryParse_Malformed_Fails(string text)
    {
        Assert.False(ConnectTarget.TryParse(text, out var target));
        Assert.Null(target);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("app.localhost", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost.example.com", false)]
    [InlineData("mylocalhost", false)]
    public void IsLocalhost_OnlyLocalhostAndItsSubdomains(string host, bool expected)
    {
        Assert.Equal(expected, new ConnectTarget(host, 80, false).IsLocalhost);
    }

    [Theory]
    [InlineData("example.com:443:127.0.0.1:8443")]
    [InlineData("example.com:8080:9090")]
    public void TryParse_UnbracketedHostWithColon_Fails(string text)
    {
        Assert.False(ConnectTarget.TryParse(text, out _));
    }
}
