using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Probes.Tests.Browser;

/// <summary>CSP3 source matching for WebSocket URLs. The cases are the specification's own examples and notes
/// (https://w3c.github.io/webappsec-csp/, sections 6.7.2.8 to 6.7.2.12) applied to ws:// and wss:// URLs, and
/// where browsers differ from the text, what Chromium 156 and Firefox 153 did (the browser tests repeat those).</summary>
public class CspMatchingTests
{
    private static readonly PageOrigin HttpsPage = new("https", "app.example.com", 443);
    private static readonly PageOrigin HttpPage = new("http", "app.example.com", 80);

    [Theory]
    // 'self' on an https page: wss:// to the same host is allowed, ws:// is not (6.7.2.8 step 4.2.1).
    [InlineData("'self'", "https", "wss://app.example.com/ws", true)]
    [InlineData("'self'", "https", "ws://app.example.com/ws", false)]
    // 'self' on an http page: ws:// and wss:// to the same host (4.2.1 and 4.2.2).
    [InlineData("'self'", "http", "ws://app.example.com/ws", true)]
    [InlineData("'self'", "http", "wss://app.example.com/ws", true)]
    // ... but never another host or another non-default port.
    [InlineData("'self'", "https", "wss://api.example.com/ws", false)]
    [InlineData("'self'", "https", "wss://app.example.com:8443/ws", false)]
    // "connect-src ws: is treated as connect-src ws: wss:" (6.7.2.9 note); wss: never allows ws:.
    [InlineData("ws:", "https", "wss://anything.example.net/", true)]
    [InlineData("ws:", "http", "ws://anything.example.net/", true)]
    [InlineData("wss:", "http", "ws://anything.example.net/", false)]
    [InlineData("wss:", "http", "wss://anything.example.net/", true)]
    // Browsers match the ws/wss URL itself: an http(s) source never allows it (both browsers refused these).
    [InlineData("https:", "http", "wss://api.example.com/", false)]
    [InlineData("https://api.example.com", "http", "wss://api.example.com/ws", false)]
    [InlineData("http://api.example.com", "http", "ws://api.example.com/ws", false)]
    [InlineData("https://api.example.com", "http", "ws://api.example.com/ws", false)]
    // "*": the standard says http(s) or the page's scheme; both browsers also allow ws/wss.
    [InlineData("*", "https", "wss://api.example.com/ws", true)]
    [InlineData("*", "http", "ws://api.example.com/ws", true)]
    // host-part: *.example.com matches www.example.com but not example.com (6.7.2.10 note).
    [InlineData("wss://*.example.com", "https", "wss://api.example.com/", true)]
    [InlineData("wss://*.example.com", "https", "wss://deep.api.example.com/", true)]
    [InlineData("wss://*.example.com", "https", "wss://example.com/", false)]
    // A port past 65535 (or past int) is allowed by the grammar and matches nothing; it used to throw OverflowException.
    [InlineData("wss://*.example.com:111111111111111111", "https", "wss://api.example.com:443/", false)]
    [InlineData("wss://api.example.com:70000", "https", "wss://api.example.com/", false)]
    // port-part: the default port of the URL's scheme matches an explicit one, other ports do not (6.7.2.11).
    [InlineData("wss://api.example.com:443", "https", "wss://api.example.com/", true)]
    [InlineData("wss://api.example.com", "https", "wss://api.example.com:8443/", false)]
    [InlineData("wss://api.example.com:8443", "https", "wss://api.example.com:8443/", true)]
    [InlineData("wss://api.example.com:*", "https", "wss://api.example.com:9999/", true)]
    // path-part: "/subdirectory/" matches "/subdirectory/file"; an exact path matches itself only (6.7.2.12).
    [InlineData("wss://api.example.com/ws/", "https", "wss://api.example.com/ws/chat", true)]
    [InlineData("wss://api.example.com/ws", "https", "wss://api.example.com/ws", true)]
    [InlineData("wss://api.example.com/ws", "https", "wss://api.example.com/ws/chat", false)]
    // A schemeless host-source takes the page's scheme (6.7.2.8 step 3.2): http or https, never ws/wss.
    [InlineData("api.example.com", "https", "wss://api.example.com/", false)]
    [InlineData("api.example.com", "http", "ws://api.example.com/", false)]
    // Keywords other than 'self' never allow a URL.
    [InlineData("'unsafe-inline'", "https", "wss://app.example.com/", false)]
    [InlineData("'none'", "https", "wss://app.example.com/", false)]
    // Browsers match an IP literal written out exactly (the standard would not).
    [InlineData("ws://127.0.0.1:8080", "http", "ws://127.0.0.1:8080/", true)]
    [InlineData("ws://127.0.0.1:8080", "http", "ws://127.0.0.2:8080/", false)]
    public void Matches_SourceExpression(string sources, string pageScheme, string url, bool expected)
    {
        var page = pageScheme == "https" ? HttpsPage : HttpPage;
        Assert.Equal(expected, SourceListMatcher.Matches(new Uri(url), sources.Split(' '), page));
    }

    [Fact]
    public void Matches_NoneAmongOthers_IsIgnored()
    {
        // 6.7.2.7 note: « 'none', https://example.com » matches https://example.com/.
        Assert.True(SourceListMatcher.Matches(new Uri("wss://api.example.com/"), ["'none'", "wss://api.example.com"], HttpsPage));
    }

    [Fact]
    public void Matches_EmptySourceList_MatchesNothing()
    {
        Assert.False(SourceListMatcher.Matches(new Uri("wss://app.example.com/"), [], HttpsPage));
    }

    [Fact]
    public void MatchingExpression_NamesTheSourceThatAllowed()
    {
        Assert.Equal("wss://api.example.com", SourceListMatcher.MatchingExpression(new Uri("wss://api.example.com/ws"), ["'self'", "wss://api.example.com"], HttpsPage));
    }

    [Theory]
    [InlineData("http", "https", true)]
    [InlineData("https", "http", false)]
    [InlineData("ws", "wss", true)]
    [InlineData("ws", "https", true)]
    [InlineData("ws", "http", true)]
    [InlineData("wss", "https", true)]
    [InlineData("wss", "http", false)]
    [InlineData("HTTPS", "https", true)]
    public void SchemePartMatches_FollowsTheUpgradeTable(string a, string b, bool expected)
    {
        Assert.Equal(expected, SourceListMatcher.SchemePartMatches(a, b));
    }

    [Theory]
    [InlineData("wss:", "wss", null, null, null)]
    [InlineData("wss://api.example.com", "wss", "api.example.com", null, null)]
    [InlineData("api.example.com:8443/ws/", null, "api.example.com", "8443", "/ws/")]
    [InlineData("*.example.com", null, "*.example.com", null, null)]
    [InlineData("https://*:*", "https", "*", "*", null)]
    public void SourceExpression_Parses(string text, string? scheme, string? host, string? port, string? path)
    {
        Assert.True(SourceExpression.TryParse(text, out var source));
        Assert.Equal(new SourceExpression(scheme, host, port, path), source);
    }

    [Theory]
    [InlineData("wss://api.example.com:84a3")]
    [InlineData("wss://exa mple.com")]
    [InlineData("wss://[::1]:8080")]
    [InlineData("wss://api.example.com//double")]
    public void SourceExpression_RejectsWhatTheGrammarDoesNot(string text)
    {
        Assert.False(SourceExpression.TryParse(text, out _));
    }
}
