using Wsdoctor.Findings;
using Wsdoctor.Probes.Url;

namespace Wsdoctor.Probes.Tests.Url;

public class UrlProbeTests
{
    [Fact]
    public void Analyze_HostWithoutAnIdnForm_InvalidInsteadOfThrowingLater()
    {
        // Found by bench/fuzz (url): Uri accepted the host, then Uri.IdnHost (TargetUrl.Host) threw UriFormatException.
        var (target, findings) = UrlProbe.Analyze("wss://xn--b\uFFFDher-kvK.exmple");

        Assert.Null(target);
        Assert.Equal(Codes.UrlInvalid, Assert.Single(findings).Code);
    }

    [Fact]
    public void PageOrigin_HostWithoutAnIdnForm_IsAnError()
    {
        // Found by bench/fuzz (url): PageOrigin.FromUri read Uri.IdnHost, which threw for this host.
        Assert.False(Wsdoctor.Probes.Browser.Rules.PageOrigin.TryParse("http://eom\u06C9", out var origin, out var error));
        Assert.Null(origin);
        Assert.Contains("page origin", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8080/ws", "ws://localhost:8080/ws")]
    [InlineData("127.0.0.1:8080/ws", "ws://127.0.0.1:8080/ws")]
    [InlineData("127.0.1.1/chat", "ws://127.0.1.1/chat")]
    [InlineData("[::1]:9000/", "ws://[::1]:9000/")]
    [InlineData("example.com/ws", "wss://example.com/ws")]
    [InlineData("echo.websocket.org", "wss://echo.websocket.org")]
    public void Analyze_MissingScheme_SuggestsWsForLoopbackAndWssOtherwise(string input, string suggested)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.Null(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlMissingScheme, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(suggested, finding.Data["suggestedUrl"]);
        Assert.Contains(suggested, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080/ws?room=1", "ws://localhost:8080/ws?room=1")]
    [InlineData("https://example.com/socket/v2?room=7&lang=en", "wss://example.com/socket/v2?room=7&lang=en")]
    [InlineData("HTTPS://Example.com/Chat", "wss://Example.com/Chat")]
    public void Analyze_HttpScheme_SuggestsWebSocketSchemeKeepingPathAndQuery(string input, string suggested)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.Null(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlHttpScheme, finding.Code);
        Assert.Equal(suggested, finding.Data["suggestedUrl"]);
        Assert.Contains($"Use {suggested}", finding.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/ws", "ftp")]
    [InlineData("tcp://127.0.0.1:8080", "tcp")]
    [InlineData("socket.io://example.com", "socket.io")]
    public void Analyze_OtherScheme_IsInvalidNamingTheScheme(string input, string scheme)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.Null(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlInvalid, finding.Code);
        Assert.Contains($"'{scheme}'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_Fragment_IsInvalidAndSuggestsTheUrlWithoutIt()
    {
        var (target, findings) = UrlProbe.Analyze("ws://localhost:8080/chat#room-1");

        Assert.Null(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlInvalid, finding.Code);
        Assert.Contains("#room-1", finding.Message, StringComparison.Ordinal);
        Assert.Equal("ws://localhost:8080/chat", finding.Data["suggestedUrl"]);
        // The position lets a user find the '#' in a long URL copied from a browser bar.
        Assert.Contains(finding.Evidence, e => e.Contains("character 25", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ws://localhost:/ws", "empty")]
    [InlineData("ws://localhost:abc/ws", "'abc'")]
    [InlineData("ws://localhost:0/ws", "'0'")]
    [InlineData("ws://localhost:65536/ws", "'65536'")]
    [InlineData("ws://localhost:-1/ws", "'-1'")]
    [InlineData("ws://localhost:99999999999999999999999/ws", "'99999999999999999999999'")]
    [InlineData("wss://[::1]:70000/", "'70000'")]
    [InlineData("ws://localhost:80a?x=1", "'80a'")]
    public void Analyze_BadPort_IsInvalidQuotingThePort(string input, string quoted)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.Null(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlInvalid, finding.Code);
        Assert.Contains(quoted, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://localhost:1/", 1)]
    [InlineData("ws://localhost:65535/", 65535)]
    public void Analyze_PortAtTheEndsOfTheRange_IsAccepted(string input, int port)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.NotNull(target);
        Assert.Empty(findings);
        Assert.Equal(port, target.Port);
    }

    [Fact]
    public void Analyze_Ipv6LiteralWithPort_ParsesHostPortAndPath()
    {
        var (target, findings) = UrlProbe.Analyze("ws://[::1]:8080/x");

        Assert.NotNull(target);
        Assert.Empty(findings);
        Assert.Equal(8080, target.Port);
        Assert.Equal("::1", target.Host.Trim('[', ']'));
        Assert.True(target.HostIsIpLiteral);
        Assert.Equal("/x", target.PathAndQuery);
    }

    [Fact]
    public void Analyze_Ipv6LiteralWithoutPort_TakesNoColonOfTheAddressForAPort()
    {
        var (target, findings) = UrlProbe.Analyze("wss://[2001:db8::1]/ws");

        Assert.NotNull(target);
        Assert.Empty(findings);
        Assert.Equal(443, target.Port);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("access_token")]
    [InlineData("jwt")]
    [InlineData("api_key")]
    [InlineData("Token")]
    [InlineData("refresh_token")]
    public void Analyze_TokenLikeQueryParameter_WarnsWithTheValueRedacted(string name)
    {
        const string Secret = "eyJhbGciOi.s3cr3tPayload.sig";
        var (target, findings) = UrlProbe.Analyze($"wss://example.com/ws?room=7&{name}={Secret}");

        Assert.NotNull(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlTokenInQuery, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(name, finding.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { name }, finding.Data["parameters"]);
        var everything = string.Join("\n", [finding.Message, finding.Fix, .. finding.Evidence]);
        Assert.DoesNotContain("s3cr3tPayload", everything, StringComparison.Ordinal);
        Assert.Contains("[redacted, ", everything, StringComparison.Ordinal);
        // The non-secret parameter stays readable: it tells which room the user meant.
        Assert.Contains("room=7", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_OrdinaryQueryParameters_NoWarning()
    {
        var (target, findings) = UrlProbe.Analyze("wss://example.com/ws?room=7&lang=en&v=2");

        Assert.NotNull(target);
        Assert.Empty(findings);
    }

    [Fact]
    public void Analyze_PercentEncodedTokenName_IsStillRecognised()
    {
        // "access%5Ftoken" is access_token with the underscore escaped, as some URL builders write it.
        var (_, findings) = UrlProbe.Analyze("ws://localhost:8080/ws?access%5Ftoken=abc");

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlTokenInQuery, finding.Code);
        Assert.Equal(new[] { "access_token" }, finding.Data["parameters"]);
    }

    [Theory]
    [InlineData("wss://example.com:80/ws", "ws")]
    [InlineData("ws://example.com:443/ws", "wss")]
    public void Analyze_DefaultPortOfTheOtherScheme_WarnsOfAMixUp(string input, string otherScheme)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.NotNull(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlDefaultPortMismatch, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains($"{otherScheme}://", finding.Evidence[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wss://example.com:443/ws")]
    [InlineData("ws://example.com:80/ws")]
    [InlineData("wss://example.com:8443/ws")]
    public void Analyze_MatchingOrUnrelatedPort_NoMismatchWarning(string input)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.NotNull(target);
        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Analyze_Empty_IsInvalid(string input)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.Null(target);
        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlInvalid, finding.Code);
        Assert.Contains("empty", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SurroundingWhitespace_IsIgnored()
    {
        var (target, findings) = UrlProbe.Analyze("  ws://localhost:8080/ws \n");

        Assert.NotNull(target);
        Assert.Empty(findings);
        Assert.Equal("/ws", target.PathAndQuery);
    }

    [Fact]
    public void Analyze_UserinfoWithPort_TakesThePortAfterTheAt()
    {
        var (target, findings) = UrlProbe.Analyze("ws://user:p4ss@localhost:8080/ws");

        Assert.NotNull(target);
        Assert.Empty(findings);
        Assert.Equal("localhost", target.Host);
        Assert.Equal(8080, target.Port);
        // userinfo is never part of the Host header (RFC 9110 7.2).
        Assert.Equal("localhost:8080", target.HostHeader);
    }

    [Fact]
    public void Analyze_UserinfoInAnInvalidUrl_RedactsThePassword()
    {
        var (_, findings) = UrlProbe.Analyze("wss://user:hunter2@example.com:99999/ws");

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlInvalid, finding.Code);
        var shown = string.Join("\n", [finding.Message, finding.Fix, .. finding.Evidence]);
        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
        Assert.Contains("user:", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MissingSchemeWithTokenInQuery_RedactsTheTokenInMessageAndFix()
    {
        var (_, findings) = UrlProbe.Analyze("example.com/ws?token=s3cr3t");

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlMissingScheme, finding.Code);
        var shown = string.Join("\n", [finding.Message, finding.Fix, .. finding.Evidence]);
        Assert.DoesNotContain("s3cr3t", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://:8080/ws")]
    [InlineData("ws://exa mple.com/ws")]
    public void Analyze_UnparsableHost_IsInvalid(string input)
    {
        var (target, findings) = UrlProbe.Analyze(input);

        Assert.Null(target);
        Assert.Equal(Codes.UrlInvalid, Assert.Single(findings).Code);
    }

    [Fact]
    public void Analyze_TokenInQueryAndPortMismatch_ReportsBoth()
    {
        var (target, findings) = UrlProbe.Analyze("wss://example.com:80/ws?jwt=abc");

        Assert.NotNull(target);
        Assert.Equal(
            new[] { Codes.UrlTokenInQuery, Codes.UrlDefaultPortMismatch },
            findings.Select(f => f.Code).ToArray());
    }

    // Product bugs found while writing these tests: see the skip reasons.

    [Fact]
    public void Analyze_MissingSchemeWithUrlInQuery_IsMissingScheme()
    {
        var (_, findings) = UrlProbe.Analyze("example.com/ws?next=https://example.com/");

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.UrlMissingScheme, finding.Code);
        Assert.Equal("wss://example.com/ws?next=https://example.com/", finding.Data["suggestedUrl"]);
    }

    [Fact]
    public void Analyze_FragmentCarryingAccessToken_DoesNotPrintTheToken()
    {
        var (_, findings) = UrlProbe.Analyze("wss://example.com/ws#access_token=s3cr3t");

        var finding = Assert.Single(findings);
        var shown = string.Join("\n", [finding.Message, finding.Fix, .. finding.Evidence]);
        Assert.DoesNotContain("s3cr3t", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_SuggestedUrlData_IsRedacted()
    {
        var (_, findings) = UrlProbe.Analyze("https://user:hunter2@example.com/ws?token=s3cr3t");

        var suggested = Assert.IsType<string>(Assert.Single(findings).Data["suggestedUrl"]);
        Assert.DoesNotContain("s3cr3t", suggested, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", suggested, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws:/localhost:8080/ws")]
    [InlineData("ws//localhost:8080/ws")]
    public void Analyze_SchemeTypo_SuggestsTheRepairedUrl(string input)
    {
        var (_, findings) = UrlProbe.Analyze(input);

        Assert.Equal("ws://localhost:8080/ws", Assert.Single(findings).Data["suggestedUrl"]);
    }

    [Fact]
    public void Analyze_MissingSchemeOnHostStartingWithLocalhost_SuggestsWss()
    {
        var (_, findings) = UrlProbe.Analyze("localhost.example.com/ws");

        Assert.Equal("wss://localhost.example.com/ws", Assert.Single(findings).Data["suggestedUrl"]);
    }
}
