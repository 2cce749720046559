using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Browser.Csp;
using Wsdoctor.Probes.Browser.Rules;

namespace Wsdoctor.Probes.Tests.Browser;

public class CspPolicyTests
{
    private static readonly PageOrigin Page = new("https", "app.example.com", 443);

    [Fact]
    public void Parse_RepeatedDirective_FirstOneWins()
    {
        // CSP3 2.2.1 "parse a serialized CSP", step 2.4: a duplicate directive is ignored.
        var policy = ContentSecurityPolicy.Parse("connect-src 'self'; connect-src *", PolicySource.Header);
        Assert.Equal(["'self'"], policy.Directives["connect-src"]);
    }

    [Fact]
    public void Parse_NamesAreCaseInsensitive()
    {
        var policy = ContentSecurityPolicy.Parse("Connect-SRC wss://a.example.com", PolicySource.Header);
        Assert.True(policy.Directives.ContainsKey("connect-src"));
    }

    [Fact]
    public void ParseList_CommaSeparatesPolicies()
    {
        var policies = ContentSecurityPolicy.ParseList("default-src 'self', connect-src wss://a.example.com", PolicySource.Header);
        Assert.Equal(2, policies.Count);
    }

    [Fact]
    public void ConnectDirective_FallsBackToDefaultSrc()
    {
        var policy = ContentSecurityPolicy.Parse("default-src 'self'; script-src 'none'", PolicySource.Header);
        Assert.Equal("default-src", policy.ConnectDirective!.Value.Name);
    }

    [Fact]
    public void ConnectDirective_AbsentMeansNoRestriction()
    {
        var verdict = CspEvaluation.Evaluate([ContentSecurityPolicy.Parse("script-src 'self'", PolicySource.Header)], Page, new Uri("wss://anywhere.example.net/"));
        Assert.False(verdict.Blocked);
    }

    [Fact]
    public void Evaluate_EveryEnforcedPolicyMustAllow()
    {
        var policies = new[]
        {
            ContentSecurityPolicy.Parse("connect-src *", PolicySource.Header),
            ContentSecurityPolicy.Parse("connect-src 'self'", PolicySource.MetaTag),
        };
        var verdict = CspEvaluation.Evaluate(policies, Page, new Uri("wss://api.example.com/ws"));
        Assert.True(verdict.Blocked);
        Assert.Equal(PolicySource.MetaTag, Assert.Single(verdict.Blocking).Policy.Source);
    }

    [Fact]
    public void Evaluate_ReportOnlyPolicy_DoesNotBlock()
    {
        var verdict = CspEvaluation.Evaluate([ContentSecurityPolicy.Parse("connect-src 'none'", PolicySource.ReportOnlyHeader)], Page, new Uri("wss://api.example.com/"));
        Assert.False(verdict.Blocked);
        Assert.Single(verdict.ReportOnlyViolations);
    }

    [Fact]
    public void Evaluate_UpgradeInsecureRequests_RewritesWsToWss()
    {
        // Upgrade Insecure Requests 4.1: ws:// becomes wss://, and port 80 becomes 443.
        var verdict = CspEvaluation.Evaluate([ContentSecurityPolicy.Parse("upgrade-insecure-requests; connect-src 'self'", PolicySource.Header)], Page, new Uri("ws://app.example.com:80/ws"));
        Assert.True(verdict.Upgraded);
        Assert.Equal("wss://app.example.com/ws", verdict.EffectiveUrl.ToString());
        Assert.False(verdict.Blocked);
    }

    [Fact]
    public void Evaluate_UpgradeInsecureRequests_LeavesLoopbackAlone()
    {
        // Chromium 156 kept ws://127.0.0.1 under upgrade-insecure-requests (the browser tests saw it).
        var verdict = CspEvaluation.Evaluate([ContentSecurityPolicy.Parse("upgrade-insecure-requests", PolicySource.Header)], Page, new Uri("ws://127.0.0.1:8080/ws"));
        Assert.False(verdict.Upgraded);
        Assert.Equal("ws://127.0.0.1:8080/ws", verdict.EffectiveUrl.ToString());
    }

    [Fact]
    public void Evaluate_UpgradeKeepsNonDefaultPort()
    {
        var verdict = CspEvaluation.Evaluate([ContentSecurityPolicy.Parse("upgrade-insecure-requests", PolicySource.Header)], Page, new Uri("ws://app.example.com:8080/ws"));
        Assert.Equal("wss://app.example.com:8080/ws", verdict.EffectiveUrl.ToString());
    }

    [Fact]
    public void ConsoleText_QuotesTheDirectiveLikeChromium()
    {
        var verdict = CspEvaluation.Evaluate([ContentSecurityPolicy.Parse("default-src 'self'", PolicySource.Header)], Page, new Uri("wss://api.example.com/ws"));
        Assert.Equal(
            "Connecting to 'wss://api.example.com/ws' violates the following Content Security Policy directive: \"default-src 'self'\". Note that 'connect-src' was not explicitly set, so 'default-src' is used as a fallback. The action has been blocked.",
            verdict.ConsoleText);
    }

    [Fact]
    public void MetaPolicies_OnlyInHead()
    {
        const string html = """
            <!doctype html><html><head>
            <meta http-equiv="content-security-policy" content="connect-src &apos;self&apos;">
            <meta http-equiv="Content-Security-Policy-Report-Only" content="connect-src 'none'">
            </head><body>
            <meta http-equiv="Content-Security-Policy" content="connect-src 'none'">
            </body></html>
            """;
        var policy = Assert.Single(PagePolicies.MetaPolicies(html));
        Assert.Equal(PolicySource.MetaTag, policy.Source);
        Assert.Equal(["'self'"], policy.Directives["connect-src"]);
    }

    [Fact]
    public void MetaPolicies_IgnoreDirectivesAMetaMayNotCarry()
    {
        var policy = Assert.Single(PagePolicies.MetaPolicies("<head><meta http-equiv=Content-Security-Policy content=\"frame-ancestors 'none'; connect-src 'self'\"></head>"));
        Assert.False(policy.Directives.ContainsKey("frame-ancestors"));
        Assert.True(policy.Directives.ContainsKey("connect-src"));
    }
}
