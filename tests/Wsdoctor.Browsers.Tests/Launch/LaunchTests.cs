using Wsdoctor.Browsers.Bidi;
using Wsdoctor.Browsers.Cdp;
using Wsdoctor.Browsers.Launch;
using Wsdoctor.Browsers.Page;
using Wsdoctor.Browsers.Probe;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Browsers.Tests.Launch;

/// <summary>How browsers are found and started, without starting one.</summary>
public class LaunchTests
{
    private static readonly BrowserRequest Request = new()
    {
        Url = new Uri("wss://ws.example.com:8443/ws"),
        PageOrigin = new PageOrigin("https", "app.example.com", 443),
        PageUrl = new Uri("https://app.example.com/"),
    };

    [Fact]
    public void Find_ExplicitVariable_WinsOverPath()
    {
        var file = Path.GetTempFileName();
        try
        {
            var found = BrowserInstall.Find(BrowserKind.Firefox, name => name == "WSDOCTOR_FIREFOX" ? file : "/usr/bin");
            Assert.Equal(file, found);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Require_NothingOnPath_SaysHowToInstall()
    {
        var error = Assert.Throws<BrowserMissingException>(() => BrowserInstall.Require(BrowserKind.Chromium, name => name == "PATH" ? "/nonexistent" : null));
        Assert.Contains("apt-get install chromium", error.Message);
    }

    [Theory]
    [InlineData("chromium", new[] { BrowserKind.Chromium })]
    [InlineData("", new[] { BrowserKind.Chromium })]
    [InlineData("Firefox", new[] { BrowserKind.Firefox })]
    [InlineData("all", new[] { BrowserKind.Chromium, BrowserKind.Firefox })]
    public void Parse_BrowserNames(string text, BrowserKind[] expected)
    {
        Assert.Equal(expected, BrowserKinds.Parse(text));
    }

    [Fact]
    public void Chromium_ConnectTo_MapsHostAndPortOnly()
    {
        using var profile = ThrowawayProfile.Create(BrowserKind.Chromium);
        var arguments = ChromiumDriver.Arguments(Request with { ConnectTo = ("127.0.0.1", 9443) }, profile);
        Assert.Contains("--host-resolver-rules=MAP ws.example.com:8443 127.0.0.1:9443", arguments);
        Assert.Contains($"--user-data-dir={profile.ProfileDirectory}", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith("--ignore-certificate-errors", StringComparison.Ordinal));
    }

    [Fact]
    public void Chromium_LocalNetworkAccessOffOnlyWhenTheRealPageWouldNotNeedIt()
    {
        using var profile = ThrowawayProfile.Create(BrowserKind.Chromium);
        Assert.DoesNotContain("--disable-features=LocalNetworkAccessChecks", ChromiumDriver.Arguments(Request, profile));
        Assert.Contains("--disable-features=LocalNetworkAccessChecks", ChromiumDriver.Arguments(Request with { LocalNetworkAccessNotApplicable = true }, profile));
    }

    [Fact]
    public void Firefox_UserJs_ProxyAndForcedAddress()
    {
        var userJs = FirefoxPreferences.UserJs(Request with { Proxy = "http://proxy.internal:3128", ConnectTo = ("127.0.0.1", 8443) });
        Assert.Contains("user_pref(\"network.proxy.type\", 1);", userJs);
        Assert.Contains("user_pref(\"network.proxy.ssl\", \"proxy.internal\");", userJs);
        Assert.Contains("user_pref(\"network.proxy.ssl_port\", 3128);", userJs);
        Assert.Contains("user_pref(\"network.dns.forceResolve\", \"127.0.0.1\");", userJs);
        // Behaviour under test stays at the defaults: no pref touches mixed content, LNA or certificates.
        Assert.DoesNotContain("mixed_content", userJs);
        Assert.DoesNotContain("network.lna", userJs);
        Assert.DoesNotContain("security.cert_pinning", userJs);
    }

    [Fact]
    public void RunnerCall_QuotesTheUrlAsJson()
    {
        var url = new Uri("ws://h/a?q=\"x\"&r=</script>");
        var call = PageAssets.RunnerCall(Request with { Url = url, Protocols = ["chat", "v2"] });
        var arguments = call[(PageAssets.Runner.Length + 2)..];
        Assert.Equal($"({System.Text.Json.JsonSerializer.Serialize(url.ToString())}, [\"chat\",\"v2\"], 300, 10000)", arguments);
        Assert.DoesNotContain("</", arguments);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0", "firefox", "Firefox 153.0")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "chromium", "Headless Chrome 156.0.0.0")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.3000.1", "chromium", "Edge 156.0.3000.1")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15", "safari", "Safari 18.2")]
    [InlineData("curl/8.0", "other", "an unknown browser")]
    public void UserAgents_NameTheBrowser(string userAgent, string family, string name)
    {
        Assert.Equal((family, name), UserAgents.Describe(userAgent));
    }
}
