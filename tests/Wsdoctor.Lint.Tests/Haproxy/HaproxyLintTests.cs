using Wsdoctor.Findings;
using Wsdoctor.Lint.Haproxy;
using Wsdoctor.Lint.Tests.Snippets;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lint.Tests.Haproxy;

public sealed class HaproxyLintTests : IDisposable
{
    private const string Good = """
        global
            maxconn 100
        defaults
            mode http
            timeout connect 5s
            timeout client 1m
            timeout server 1m
            timeout tunnel 1h
        frontend web
            bind 127.0.0.1:8081
            default_backend app
        backend app
            server s1 127.0.0.1:8080
        """;

    private readonly TempDirectory dir = new();

    private static LintReport Lint(string text, TimeSpan? heartbeat = null)
    {
        var result = HaproxyLinter.Lint(text, "haproxy.cfg", new HaproxyLintOptions(heartbeat));
        Assert.True(result.Ok, result.Error?.ToString());
        return result.Value;
    }

    private static LintFinding Single(LintReport report, string code) => Reported.Single(report, code);

    [Fact]
    public void Lint_Good_NoFinding() => Assert.Empty(Lint(Good, TimeSpan.FromSeconds(30)).Findings);

    [Theory]
    [InlineData("999999999999d")] // TimeSpan.FromDays overflowed (bench/fuzz, haproxy)
    [InlineData("99999999999m")] // TimeSpan.FromMinutes threw ArgumentOutOfRangeException
    [InlineData("2147483648")] // one past HAProxy's 32-bit milliseconds: "timer overflow"
    [InlineData("25d")]
    public void Lint_TimeoutPastHaproxysTimerRange_IsAnErrorValue(string value)
    {
        var result = HaproxyLinter.Lint($"defaults\n  timeout tunnel {value}\n", "haproxy.cfg", new HaproxyLintOptions(null));

        Assert.False(result.Ok);
        Assert.Contains("'timeout tunnel' expects one time value", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HaproxyTime_LargestValueHaproxyTakes_IsParsed()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), HaproxyTime.Parse("2147483647"));
        Assert.Equal(TimeSpan.FromDays(24), HaproxyTime.Parse("24d"));
        Assert.Equal(TimeSpan.FromMilliseconds(1.5), HaproxyTime.Parse("1500us"));
    }

    [Theory]
    [InlineData("\\n", "unknown keyword '\\n' out of section")]
    public void Lint_ErrorQuotingALineBreak_StaysOneLine(string text, string expected)
    {
        // Found by bench/fuzz (haproxy): an escaped newline in a keyword was quoted raw, so the error took two lines.
        var result = HaproxyLinter.Lint(text, "haproxy.cfg", new HaproxyLintOptions(null));

        Assert.False(result.Ok);
        Assert.DoesNotContain('\n', result.Error!.ToString());
        Assert.DoesNotContain('\r', result.Error!.ToString());
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_NoTunnel_AtTheBackendHeader()
    {
        var finding = Single(Lint(Good.Replace("    timeout tunnel 1h\n", "", StringComparison.Ordinal)), Codes.HaproxyTunnelTimeout);

        Assert.Equal(new SourceLocation("haproxy.cfg", 11, 1), finding.Location);
        Assert.Contains("timeout tunnel 1h    # added", finding.FixBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_TunnelZero_WarnsAtTheLine()
    {
        var finding = Single(Lint(Good.Replace("timeout tunnel 1h", "timeout tunnel 0", StringComparison.Ordinal)), Codes.HaproxyTunnelTimeoutZero);

        Assert.Equal(new SourceLocation("haproxy.cfg", 8, 5), finding.Location);
    }

    [Fact]
    public void Lint_NamedDefaults_LastDefaultsAppliesAndFromPicksOne()
    {
        var text = """
            defaults withtunnel
                mode http
                timeout client 1m
                timeout server 1m
                timeout tunnel 1h
            defaults plain
                mode http
                timeout client 1m
                timeout server 20s
            backend a
                server s1 127.0.0.1:1
            backend b from withtunnel
                server s1 127.0.0.1:1
            """;

        var report = Lint(text, TimeSpan.FromSeconds(30));

        Assert.Equal("backend a", Single(report, Codes.HaproxyTunnelTimeout).Finding.Data["section"]);
        var below = Single(report, Codes.HaproxyTimeoutBelowHeartbeat);
        Assert.Equal(new SourceLocation("haproxy.cfg", 9, 5), below.Location);
        Assert.Equal(20.0, below.Finding.Data["effectiveSeconds"]);
    }

    [Theory]
    [InlineData("30s", true)]
    [InlineData("29999", true)]
    [InlineData("30001", false)]
    [InlineData("1m", false)]
    [InlineData("30000000us", true)]
    public void Lint_TunnelAgainstHeartbeat_TimeUnits(string tunnel, bool below)
    {
        var report = Lint(Good.Replace("timeout tunnel 1h", $"timeout tunnel {tunnel}", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        Assert.Equal(below ? 1 : 0, report.Findings.Count(f => f.Finding.Code == Codes.HaproxyTimeoutBelowHeartbeat));
    }

    [Fact]
    public void Lint_ModeTcp_InfoAtTheModeLine()
    {
        var finding = Single(Lint(Good.Replace("mode http", "mode tcp", StringComparison.Ordinal)), Codes.HaproxyModeTcp);

        Assert.Equal(new SourceLocation("haproxy.cfg", 4, 5), finding.Location);
        Assert.Equal(Severity.Info, finding.Finding.Severity);
    }

    [Fact]
    public void Parse_QuotesEscapesAndComments()
    {
        var parsed = HaproxyParser.Parse("global\n    log \"a b\" 'c#d' e\\ f # comment\n", "h.cfg");

        Assert.True(parsed.Ok);
        Assert.Equal(["log", "a b", "c#d", "e f"], parsed.Value.Sections[0].Lines[0].Words);
    }

    [Fact]
    public void Parse_UnmatchedQuote_ConfigError()
    {
        var parsed = HaproxyParser.Parse("global\n  log \"open\n", "h.cfg");

        Assert.False(parsed.Ok);
        Assert.Equal(new SourceLocation("h.cfg", 2, 7), parsed.Error.Location);
    }

    /// <summary>The real HAProxy agrees: it warns about the very line the lint reports.</summary>
    [SkippableFact]
    public async Task Lint_TunnelInFrontend_SameLineAsHaproxysOwnWarning()
    {
        var text = Good.Replace("    timeout tunnel 1h\n", "", StringComparison.Ordinal)
            .Replace("    default_backend app", "    timeout tunnel 1h\n    default_backend app", StringComparison.Ordinal);
        var path = dir.Write("haproxy.cfg", text);

        var check = await RealProgram.RunAsync(Peers.Haproxy, ["-c", "-f", path]);
        var finding = Single(HaproxyLinter.LintFile(path, DiskConfigFiles.Instance, new HaproxyLintOptions(null)).Value!, Codes.HaproxyTunnelTimeoutIgnored);

        Assert.Contains($"parsing [{path}:{finding.Location.Line}] : 'timeout tunnel' will be ignored", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Two backends with one name (found by the haproxy fuzz target, where a file full of them cost
    /// frontends x backends): the real HAProxy refuses the file at the second one, and so does the lint, at the same line.
    /// A frontend and a backend may share a name; a listen is both sides.</summary>
    [SkippableTheory]
    [InlineData("backend app\n    server s2 127.0.0.1:8082\n", "backend app")]
    [InlineData("listen web\n    bind 127.0.0.1:8083\n", "listen web")]
    public async Task Lint_DuplicateProxyName_RefusedAtTheSameLineAsHaproxy(string second, string title)
    {
        var path = dir.Write("haproxy.cfg", Good + "\n" + second);

        var check = await RealProgram.RunAsync(Peers.Haproxy, ["-c", "-f", path]);
        var result = HaproxyLinter.LintFile(path, DiskConfigFiles.Instance, new HaproxyLintOptions(null));

        Assert.False(result.Ok);
        Assert.StartsWith($"{title} has the same name as", result.Error!.Message.En, StringComparison.Ordinal);
        Assert.Contains($"[{path}:{result.Error.Location.Line}]", check.Stdout + check.Stderr, StringComparison.Ordinal);
        Assert.Contains("has the same name as", check.Stdout + check.Stderr, StringComparison.Ordinal);
        Assert.True(HaproxyLinter.Lint(Good + "\nbackend web\n    server s2 127.0.0.1:8082\n", "haproxy.cfg", new HaproxyLintOptions(null)).Ok);
    }

    public void Dispose() => dir.Dispose();
}
