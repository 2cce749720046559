using System.Globalization;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Auth;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Probes.Tests.Auth;

public class AuthAnalysisTests
{
    // The server's clock, as its Date header says; whole seconds because that is the header's resolution.
    private static readonly DateTimeOffset ServerNow = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Query placement: the token is judged without the Authorization-header warning getting in the way.
    private static readonly TokenPlacement InQuery = new(TokenPlacementKind.Query, "access_token");

    private static ResponseHead Head(int status, DateTimeOffset? date)
    {
        var text = $"HTTP/1.1 {status} {(status == 101 ? "Switching Protocols" : "Refused")}\r\n"
            + (date is { } d ? $"Date: {d.ToString("r", CultureInfo.InvariantCulture)}\r\n" : "")
            + "Server: test\r\n\r\n";
        var parser = new ResponseHeadParser();
        Assert.Equal(HeadParseStatus.Complete, parser.Consume(Encoding.ASCII.GetBytes(text), out _));
        return parser.Head!;
    }

    private static IReadOnlyList<Finding> Run(
        CheckOptions options, int status = 401, DateTimeOffset? serverDate = null, DateTimeOffset? local = null, bool noDate = false)
    {
        var ctx = new DiagnosisContext(options, CancellationToken.None) { Target = new TargetUrl(new Uri(options.Url)) };
        AuthAnalysis.Run(ctx, Head(status, noDate ? null : serverDate ?? ServerNow), local ?? ServerNow);
        return ctx.Findings;
    }

    private static CheckOptions WithToken(string token) =>
        new() { Url = "wss://example.com/ws", Token = token, TokenIn = InQuery };

    [Fact]
    public void Run_ExpiredTokenAnswered401_IsAnError()
    {
        var findings = Run(WithToken(TestJwt.Create(exp: ServerNow.AddHours(-3))), status: 401);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("--token", finding.Message, StringComparison.Ordinal);
        Assert.Contains("3 hours ago", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("accepted", finding.Message, StringComparison.Ordinal);
        Assert.Equal(10800.0, finding.Data["expiredSeconds"]);
    }

    [Fact]
    public void Run_ExpiredTokenAnswered403_IsAnError()
    {
        var finding = Assert.Single(Run(WithToken(TestJwt.Create(exp: ServerNow.AddMinutes(-5))), status: 403));

        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Run_ExpiredTokenAnswered101_IsAWarningSayingTheServerAcceptedIt()
    {
        var finding = Assert.Single(Run(WithToken(TestJwt.Create(exp: ServerNow.AddHours(-3))), status: 101));

        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("(the server accepted it anyway)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExpIsExactlyTheServerTime_IsExpired()
    {
        // RFC 7519 4.1.4: the current time MUST be before exp.
        var finding = Assert.Single(Run(WithToken(TestJwt.Create(exp: ServerNow))));

        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
    }

    [Fact]
    public void Run_ValidToken_NoFindings()
    {
        Assert.Empty(Run(WithToken(TestJwt.Create(exp: ServerNow.AddHours(1), nbf: ServerNow.AddMinutes(-1), iat: ServerNow.AddMinutes(-1)))));
    }

    [Fact]
    public void Run_ExpiredByServerClockButNotByLocalClock_JudgesByTheServer()
    {
        // Local clock ten minutes behind the server: the token still looks fine locally, the server refuses it.
        var local = ServerNow.AddMinutes(-10);
        var findings = Run(WithToken(TestJwt.Create(exp: ServerNow.AddMinutes(-4))), local: local);

        Assert.Equal(new[] { Codes.AuthTokenExpired, Codes.AuthClockSkew }, findings.Select(f => f.Code).ToArray());
        Assert.Contains("by the server clock (Date header)", findings[0].Message, StringComparison.Ordinal);
        Assert.Equal(240.0, findings[0].Data["expiredSeconds"]);
    }

    [Fact]
    public void Run_NoDateHeader_JudgesByTheLocalClockAndSaysSo()
    {
        var local = ServerNow.AddSeconds(17);
        var findings = Run(WithToken(TestJwt.Create(exp: local.AddMinutes(-3))), local: local, noDate: true);

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
        Assert.Contains("by the local clock", finding.Message, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("the server sent no Date header", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NbfAheadOfServerDate_NotYetValidWithSecondsAhead()
    {
        var findings = Run(WithToken(TestJwt.Create(exp: ServerNow.AddHours(1), nbf: ServerNow.AddMinutes(2), iat: ServerNow.AddMinutes(2))));

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.AuthTokenNotYetValid, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("nbf", finding.Data["claim"]);
        Assert.Equal(120.0, finding.Data["aheadSeconds"]);
        Assert.Contains("2 minutes after the server clock", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_IatAheadWithoutNbf_NotYetValidNamingIat()
    {
        var finding = Assert.Single(Run(WithToken(TestJwt.Create(exp: ServerNow.AddHours(1), iat: ServerNow.AddSeconds(90)))));

        Assert.Equal(Codes.AuthTokenNotYetValid, finding.Code);
        Assert.Equal("iat", finding.Data["claim"]);
    }

    [Fact]
    public void Run_NbfAheadOfServerButNotOfLocalClock_IsStillNotYetValid()
    {
        // The token was minted on a machine whose clock runs ahead; ours agrees with it, the server does not.
        var local = ServerNow.AddMinutes(5);
        var findings = Run(WithToken(TestJwt.Create(exp: ServerNow.AddHours(1), nbf: ServerNow.AddMinutes(4))), local: local);

        Assert.Contains(findings, f => f.Code == Codes.AuthTokenNotYetValid);
        var skew = Assert.Single(findings, f => f.Code == Codes.AuthClockSkew);
        Assert.Equal(300.0, skew.Data["skewSeconds"]);
    }

    [Theory]
    [InlineData(45, "45 s ahead of")]
    [InlineData(-45, "45 s behind")]
    [InlineData(31, "31 s ahead of")]
    [InlineData(-3600, "3600 s behind")]
    public void Run_SkewOverThirtySeconds_ClockSkewWithSignedSeconds(int localMinusServer, string wording)
    {
        var findings = Run(new CheckOptions { Url = "wss://example.com/ws" }, status: 101, local: ServerNow.AddSeconds(localMinusServer));

        var finding = Assert.Single(findings);
        Assert.Equal(Codes.AuthClockSkew, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal((double)localMinusServer, finding.Data["skewSeconds"]);
        Assert.Contains(wording, finding.Message, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains($"difference: {localMinusServer} s", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(-20)]
    [InlineData(30)]
    [InlineData(-30)]
    [InlineData(0)]
    public void Run_SkewUpToThirtySeconds_NoFinding(int localMinusServer)
    {
        Assert.Empty(Run(new CheckOptions { Url = "wss://example.com/ws" }, status: 101, local: ServerNow.AddSeconds(localMinusServer)));
    }

    [Fact]
    public void Run_NoDateHeader_NoSkewFinding()
    {
        Assert.Empty(Run(new CheckOptions { Url = "wss://example.com/ws" }, status: 101, local: ServerNow.AddHours(5), noDate: true));
    }

    [Theory]
    [InlineData("opaque-session-7f3a9c")]
    [InlineData("1.2.3")]
    [InlineData("abc.def.ghi")]
    [InlineData("")]
    public void Run_NonJwtToken_NoFindings(string token)
    {
        Assert.Empty(Run(WithToken(token)));
    }

    [Fact]
    public void Run_JwtInCookieOption_IsFoundByCookieName()
    {
        var options = new CheckOptions { Url = "wss://example.com/ws", Cookie = $"theme=dark; session={TestJwt.Create(exp: ServerNow.AddDays(-1))}" };

        var finding = Assert.Single(Run(options));

        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
        Assert.Equal("cookie session", finding.Data["source"]);
    }

    [Fact]
    public void Run_JwtInCookieHeader_IsFoundByCookieName()
    {
        var options = new CheckOptions
        {
            Url = "wss://example.com/ws",
            Headers = [new HttpHeader("cookie", $"sid={TestJwt.Create(exp: ServerNow.AddDays(-1))}; lang=en")],
        };

        var finding = Assert.Single(Run(options));

        Assert.Equal("cookie sid", finding.Data["source"]);
    }

    [Fact]
    public void Run_JwtInUrlQuery_IsFoundByParameterName()
    {
        var options = new CheckOptions { Url = $"wss://example.com/ws?room=1&access_token={TestJwt.Create(exp: ServerNow.AddDays(-1))}" };

        var finding = Assert.Single(Run(options));

        Assert.Equal(Codes.AuthTokenExpired, finding.Code);
        Assert.Equal("query parameter access_token", finding.Data["source"]);
    }

    [Fact]
    public void Run_JwtInAuthorizationHeader_IsFoundAndBrowserWarningAdded()
    {
        var options = new CheckOptions
        {
            Url = "wss://example.com/ws",
            Headers = [new HttpHeader("Authorization", "Bearer " + TestJwt.Create(exp: ServerNow.AddDays(-1)))],
        };

        var findings = Run(options);

        Assert.Equal(new[] { Codes.AuthTokenExpired, Codes.AuthHeaderUnavailableInBrowser }, findings.Select(f => f.Code).ToArray());
        Assert.Equal("the Authorization header", findings[0].Data["source"]);
        Assert.Equal(Severity.Warning, findings[1].Severity);
    }

    [Fact]
    public void Run_OpaqueAuthorizationHeader_OnlyBrowserWarning()
    {
        var options = new CheckOptions { Url = "wss://example.com/ws", Headers = [new HttpHeader("AUTHORIZATION", "Basic dXNlcjpwYXNz")] };

        var finding = Assert.Single(Run(options, status: 101));

        Assert.Equal(Codes.AuthHeaderUnavailableInBrowser, finding.Code);
    }

    [Fact]
    public void Run_TokenAsBearerByDefault_BrowserWarning()
    {
        var options = new CheckOptions { Url = "wss://example.com/ws", Token = "opaque" };

        Assert.Equal(Codes.AuthHeaderUnavailableInBrowser, Assert.Single(Run(options, status: 101)).Code);
    }

    [Theory]
    [InlineData(TokenPlacementKind.Query, "access_token")]
    [InlineData(TokenPlacementKind.Cookie, "sid")]
    [InlineData(TokenPlacementKind.Subprotocol, null)]
    public void Run_TokenPlacedWhereBrowsersCanPutIt_NoBrowserWarning(TokenPlacementKind kind, string? name)
    {
        var options = new CheckOptions { Url = "wss://example.com/ws", Token = "opaque", TokenIn = new TokenPlacement(kind, name) };

        Assert.Empty(Run(options, status: 101));
    }

    [Fact]
    public void Escalate_AcceptedExpiredToken_BecomesAnErrorWithoutTheAcceptedRemark()
    {
        // A 1008 close later in the session proves the expired token mattered after all.
        var options = WithToken(TestJwt.Create(exp: ServerNow.AddHours(-1)));
        var ctx = new DiagnosisContext(options, CancellationToken.None) { Target = new TargetUrl(new Uri(options.Url)) };
        AuthAnalysis.Run(ctx, Head(101, ServerNow), ServerNow);

        ctx.Escalate(Codes.AuthTokenExpired);

        var finding = Assert.Single(ctx.Findings);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.DoesNotContain("accepted", finding.Message, StringComparison.Ordinal);
        Assert.True(ctx.HasError(Layer.Http));
    }

    [Fact]
    public void Escalate_AcceptedExpiredToken_LosesTheRemarkInChineseToo()
    {
        var options = WithToken(TestJwt.Create(exp: ServerNow.AddHours(-1)));
        var ctx = new DiagnosisContext(options, CancellationToken.None) { Target = new TargetUrl(new Uri(options.Url)) };
        AuthAnalysis.Run(ctx, Head(101, ServerNow), ServerNow);
        Assert.Contains("服务端仍然接受", ctx.Findings[0].Message.Zh, StringComparison.Ordinal);

        ctx.Escalate(Codes.AuthTokenExpired);

        var message = Assert.Single(ctx.Findings).Message;
        Assert.DoesNotContain("接受", message.Zh, StringComparison.Ordinal);
        Assert.Contains("令牌已过期", message.Zh, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TokenReplacedByHeader_JudgesOnlyWhatWasSent()
    {
        var options = new CheckOptions
        {
            Url = "wss://example.com/ws",
            Token = TestJwt.Create(exp: ServerNow.AddDays(-1)),
            Headers = [new HttpHeader("Authorization", "Bearer " + TestJwt.Create(exp: ServerNow.AddDays(1)))],
        };

        Assert.DoesNotContain(Run(options), f => f.Code == Codes.AuthTokenExpired);
    }

    [Fact]
    public void Run_CookieReplacedByHeader_JudgesOnlyWhatWasSent()
    {
        var options = new CheckOptions
        {
            Url = "wss://example.com/ws",
            Cookie = $"session={TestJwt.Create(exp: ServerNow.AddDays(-1))}",
            Headers = [new HttpHeader("Cookie", "session=fresh")],
        };

        Assert.Empty(Run(options));
    }
}
