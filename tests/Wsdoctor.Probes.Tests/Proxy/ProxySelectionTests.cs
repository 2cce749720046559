using Wsdoctor.Probes.Net;

namespace Wsdoctor.Probes.Tests.Proxy;

public sealed class ProxySelectionTests
{
    private static CheckOptions Options(string url, Dictionary<string, string> env, string? proxy = null, bool noProxy = false) => new()
    {
        Url = url,
        Proxy = proxy,
        NoProxy = noProxy,
        Environment = name => env.GetValueOrDefault(name),
    };

    private static ProxyEndpoint? For(string url, Dictionary<string, string> env, string? proxy = null, bool noProxy = false) =>
        ProxySelection.For(new Uri(url), Options(url, env, proxy, noProxy));

    [Fact]
    public void For_WssUsesHttpsProxy_WsUsesHttpProxy()
    {
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://secure:3128", ["HTTP_PROXY"] = "http://plain:8080" };

        Assert.Equal(("secure", 3128, "HTTPS_PROXY"), Tuple(For("wss://example.test/", env)));
        Assert.Equal(("plain", 8080, "HTTP_PROXY"), Tuple(For("ws://example.test/", env)));
    }

    [Fact]
    public void For_LowerCaseWinsAndAllProxyIsTheFallback()
    {
        var env = new Dictionary<string, string> { ["https_proxy"] = "http://lower:1", ["HTTPS_PROXY"] = "http://upper:2", ["ALL_PROXY"] = "http://all:3" };

        Assert.Equal("lower", For("wss://example.test/", env)!.Host);
        Assert.Equal("all", For("ws://example.test/", env)!.Host);
    }

    [Fact]
    public void For_ExplicitProxyBeatsEnvironmentAndNoProxy()
    {
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://env:1", ["NO_PROXY"] = "*" };

        Assert.Equal(("cli", 9, "--proxy"), Tuple(For("wss://example.test/", env, proxy: "cli:9")));
    }

    [Fact]
    public void For_NoProxyFlagIgnoresTheEnvironment()
    {
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://env:1" };

        Assert.Null(For("wss://example.test/", env, noProxy: true));
    }

    [Theory]
    [InlineData("example.test", "wss://example.test/", true)]
    [InlineData("example.test", "wss://api.example.test/", true)]
    [InlineData(".example.test", "wss://api.example.test/", true)]
    [InlineData("*.example.test", "wss://api.example.test/", true)]
    [InlineData("example.test", "wss://badexample.test/", false)]
    [InlineData("other.test, example.test", "wss://example.test/", true)]
    [InlineData("*", "wss://anything.test/", true)]
    [InlineData("example.test:8443", "wss://example.test:8443/", true)]
    [InlineData("example.test:8443", "wss://example.test/", false)]
    [InlineData("127.0.0.1", "ws://127.0.0.1:9000/", true)]
    [InlineData("10.0.0.0/8", "ws://10.1.2.3/", true)]
    [InlineData("10.0.0.0/8", "ws://11.1.2.3/", false)]
    [InlineData("::1", "ws://[::1]:9000/", true)]
    [InlineData("[::1]:9000", "ws://[::1]:9000/", true)]
    [InlineData("fd00::/8", "ws://[fd12::1]/", true)]
    [InlineData("", "wss://example.test/", false)]
    public void BypassEntry_MatchesLikeCurl(string noProxy, string url, bool bypassed)
    {
        Assert.Equal(bypassed, ProxySelection.BypassEntry(new Uri(url), noProxy) is not null);
    }

    [Fact]
    public void For_NoProxyCoveringTheHost_GoesDirect()
    {
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://env:1", ["no_proxy"] = "localhost,.internal.test" };

        Assert.Null(For("wss://api.internal.test/", env));
        Assert.NotNull(For("wss://public.test/", env));
    }

    [Theory]
    [InlineData("https://proxy:443", "TLS to the proxy itself")]
    [InlineData("socks5://proxy:1080", "only HTTP CONNECT proxies")]
    [InlineData("http://proxy:3128/path", "no path")]
    [InlineData("http://", "not a proxy URL")]
    public void For_UnusableProxyUrl_IsAUsageErrorNamingTheSource(string value, string expected)
    {
        var env = new Dictionary<string, string> { ["HTTPS_PROXY"] = value };

        var ex = Assert.Throws<CheckUsageException>(() => For("wss://example.test/", env));

        Assert.Contains("HTTPS_PROXY", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_CredentialsAreDecodedAndMaskedInDisplay()
    {
        Assert.True(ProxyEndpoint.TryParse("http://al%40ice:p%3Ass@proxy.test:3128", "--proxy", out var proxy, out _));

        Assert.Equal("al@ice", proxy!.User);
        Assert.Equal("p:ss", proxy.Password);
        Assert.Equal("http://al%40ice:***@proxy.test:3128", proxy.Display);
        Assert.DoesNotContain("p:ss", proxy.Display, StringComparison.Ordinal);
        Assert.Equal(80, ProxyEndpoint.TryParse("http://proxy.test", "--proxy", out var noPort, out _) ? noPort!.Port : -1);
    }

    [Fact]
    public void TryParse_ErrorNeverEchoesThePassword()
    {
        Assert.False(ProxyEndpoint.TryParse("http://user:hunter2@proxy:3128/x", "HTTPS_PROXY", out _, out var error));

        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    private static (string, int, string) Tuple(ProxyEndpoint? proxy) => (proxy!.Host, proxy.Port, proxy.Source);
}
