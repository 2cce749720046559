using System.Text.Json.Nodes;
using Wsdoctor.Browsers.Verdict;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Browsers.Tests.Verdict;

/// <summary>Classifying what a driver collected. The inputs are what the browsers really reported (recorded from
/// Chromium 156 and Firefox 153 during the browser tests), reduced to the fields that matter.</summary>
public class ObservationBuilderTests
{
    private static readonly BrowserRequest Request = new()
    {
        Url = new Uri("ws://127.0.0.1:8080/ws?token=abc.def.ghi"),
        PageOrigin = new PageOrigin("https", "app.example.com", 443),
        PageUrl = new Uri("https://app.example.com/"),
    };

    private static BrowserRun Run(string browser, string page, params string[] log)
    {
        var run = new BrowserRun { Browser = browser, Version = browser == "chromium" ? "Chromium 156.0.8078.114" : "Firefox 153.8.0", Page = JsonNode.Parse(page)!.AsObject() };
        run.Log.AddRange(log);
        return run;
    }

    [Fact]
    public void Build_OpenEvent_IsOpened()
    {
        var run = Run("chromium", """{"origin":"https://app.example.com","events":[{"type":"open","t":9.5,"protocol":"chat"},{"type":"closing","t":310,"code":1000},{"type":"close","t":312,"code":1000,"reason":"wsdoctor","wasClean":true}]}""");

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.Opened, seen.Outcome);
        Assert.Equal("chat", seen.Subprotocol);
        Assert.Equal(9.5, seen.ElapsedMs);
        Assert.Equal(1000, seen.CloseCode);
        Assert.Null(seen.Error);
    }

    [Fact]
    public void Build_NetworkError_IsTheBrowsersOwnWords()
    {
        var run = Run("chromium", """{"events":[{"type":"error","t":5},{"type":"close","t":5,"code":1006,"reason":"","wasClean":false}]}""",
            "network error: WebSocket connection to 'ws://127.0.0.1:8080/ws' failed: Error in connection establishment: net::ERR_CONNECTION_REFUSED");
        run.NetworkErrors.Add("Error in connection establishment: net::ERR_CONNECTION_REFUSED");

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.Failed, seen.Outcome);
        Assert.Equal("Error in connection establishment: net::ERR_CONNECTION_REFUSED", seen.Error);
        Assert.Equal(1006, seen.CloseCode);
        Assert.False(seen.WasClean);
    }

    [Theory]
    [InlineData("Error in connection establishment: net::ERR_UNSAFE_PORT")]
    [InlineData("Error in connection establishment: net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS")]
    public void Build_BrowserSideRefusal_IsBlocked(string error)
    {
        var run = Run("chromium", """{"events":[{"type":"error","t":3},{"type":"close","t":3,"code":1006,"reason":"","wasClean":false}]}""");
        run.NetworkErrors.Add(error);

        Assert.Equal(BrowserOutcome.Blocked, ObservationBuilder.Build(run, Request).Outcome);
    }

    [Fact]
    public void Build_ChromiumMixedContent_ExceptionWithConsoleLine()
    {
        var run = Run("chromium", """{"events":[],"exception":{"name":"SecurityError","message":"Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS."}}""",
            "security error: Mixed Content: The page at 'https://app.example.com/' was loaded over HTTPS, but attempted to connect to the insecure WebSocket endpoint 'ws://ws.example.com/'. This request has been blocked; this endpoint must be available over WSS.");

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.Blocked, seen.Outcome);
        Assert.Equal("SecurityError: Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS.", seen.Error);
    }

    [Fact]
    public void Build_FirefoxCspException_UsesItsConsoleLineInstead()
    {
        var run = Run("firefox", """{"events":[],"exception":{"name":"NS_ERROR_CONTENT_BLOCKED","message":"[Exception... \"The load for this content was blocked.\"  nsresult: \"0x805e0006 (NS_ERROR_CONTENT_BLOCKED)\"  data: no]"}}""",
            "javascript error: Content-Security-Policy: The page’s settings blocked the loading of a resource (connect-src) at ws://127.0.0.1:8080/ws because it violates the following directive: “connect-src 'self'”");

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.Blocked, seen.Outcome);
        Assert.StartsWith("Content-Security-Policy: The page’s settings blocked", seen.Error);
    }

    [Fact]
    public void Build_ChromiumCspBlock_NoCloseEvent_IsBlocked()
    {
        // Chromium fires error and no close after a connect-src block; the runner stops waiting after a second.
        var run = Run("chromium", """{"events":[{"type":"error","t":1}],"noCloseEvent":true}""",
            "security error: Connecting to 'ws://127.0.0.1:8080/ws?token=abc.def.ghi' violates the following Content Security Policy directive: \"connect-src 'self'\". The action has been blocked.");

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.Blocked, seen.Outcome);
        Assert.StartsWith("Connecting to 'ws://127.0.0.1:8080/ws?token=", seen.Error);
        Assert.DoesNotContain("abc.def.ghi", seen.Error);
    }

    [Fact]
    public void Build_NothingWithinTheTimeout_IsTimedOut()
    {
        var run = Run("firefox", """{"events":[],"timedOut":true,"readyState":0}""");

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.TimedOut, seen.Outcome);
        Assert.Contains("readyState 0", seen.Error);
    }

    [Fact]
    public void Build_DriverFailure_IsNotRun()
    {
        var run = new BrowserRun { Browser = "chromium", Version = "Chromium", DriverFailure = "the page https://app.example.com/ did not load: net::ERR_FAILED" };

        var seen = ObservationBuilder.Build(run, Request);

        Assert.Equal(BrowserOutcome.NotRun, seen.Outcome);
        Assert.Contains("did not load", seen.Error);
    }

    [Fact]
    public void Build_SecretsInUrlHeadersAndConsole_AreRedacted()
    {
        var run = Run("chromium", """{"events":[{"type":"error","t":1},{"type":"close","t":1,"code":1006,"reason":"","wasClean":false}]}""",
            "network error: WebSocket connection to 'ws://127.0.0.1:8080/ws?token=abc.def.ghi' failed: Error during WebSocket handshake: Unexpected response code: 401");
        run.RequestHeaders = new Dictionary<string, string> { ["Cookie"] = "session=abcdefghijklmnop", ["Origin"] = "https://app.example.com" };

        var seen = ObservationBuilder.Build(run, Request);

        Assert.DoesNotContain("abc.def.ghi", seen.Url);
        Assert.DoesNotContain("abc.def.ghi", string.Join('\n', seen.Console));
        Assert.DoesNotContain("abcdefghijklmnop", seen.RequestHeaders!["Cookie"]);
        Assert.Equal("https://app.example.com", seen.RequestHeaders["Origin"]);
    }
}
