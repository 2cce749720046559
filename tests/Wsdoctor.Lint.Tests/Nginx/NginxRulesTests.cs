using Wsdoctor.Findings;
using Wsdoctor.Lint.Nginx;

namespace Wsdoctor.Lint.Tests.Nginx;

/// <summary>Each nginx rule on a configuration broken in one place (right code, line and column) and on the good
/// one (no finding). The http block starts on line 3 of the file.</summary>
public sealed class NginxRulesTests : IDisposable
{
    private const string Map = "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }";

    private const string Good = """
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            server {
                listen 80;
                location /ws {
                    proxy_pass http://127.0.0.1:8080;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $host;
                    proxy_read_timeout 1h;
                }
            }
        """;

    private readonly NginxLintHarness harness = new();

    private static string Without(string line) => Good.Replace(line + "\n", "", StringComparison.Ordinal);

    private static string With(string line, string replacement) => Good.Replace(line, replacement, StringComparison.Ordinal);

    private static LintFinding Single(LintReport report, string code) => Reported.Single(report, code);

    private static void At(LintFinding finding, int line, int column) =>
        Assert.Equal((line, column), (finding.Location.Line, finding.Location.Column));

    [Fact]
    public void Lint_GoodConfiguration_NoFinding()
    {
        var report = harness.Lint(Good, NginxLintHarness.Options(heartbeat: TimeSpan.FromSeconds(30)));

        Assert.Empty(report.Findings);
        Assert.Single((Array)report.Assumptions["webSocketLocations"]!);
    }

    [Fact]
    public void Lint_NoHttpVersion_OnOldNginxAtTheLocation()
    {
        var report = harness.Lint(Without("            proxy_http_version 1.1;"));

        var finding = Single(report, Codes.NginxHttpVersion);
        At(finding, 6, 9);
        Assert.Equal(Severity.Error, finding.Finding.Severity);
        Assert.Contains("proxy_http_version 1.1;    # added", finding.FixBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_NoHttpVersion_FineSince1297()
    {
        var report = harness.Lint(Without("            proxy_http_version 1.1;"), NginxLintHarness.Options("1.29.7"));

        Assert.DoesNotContain(report.Findings, f => f.Finding.Code == Codes.NginxHttpVersion);
    }

    [Fact]
    public void Lint_HttpVersion10_ReportedAtTheDirectiveOnAnyVersion()
    {
        var report = harness.Lint(With("proxy_http_version 1.1;", "proxy_http_version 1.0;"), NginxLintHarness.Options("1.29.7"));

        At(Single(report, Codes.NginxHttpVersion), 8, 13);
    }

    [Fact]
    public void Lint_NoUpgradeHeaders_ReportedAtTheLocation()
    {
        var broken = Without("            proxy_set_header Upgrade $http_upgrade;").Replace("            proxy_set_header Connection $connection_upgrade;\n", "", StringComparison.Ordinal);

        // /ws is a WebSocket location by the heuristic: its path is "ws".
        var finding = Single(harness.Lint(broken), Codes.NginxUpgradeHeaders);

        At(finding, 6, 9);
        Assert.Equal(["Upgrade", "Connection"], (string[])finding.Finding.Data["missing"]!);
    }

    [Fact]
    public void Lint_UpgradeFromConnectionUpgrade_WrongVariable()
    {
        var finding = Single(harness.Lint(With("Upgrade $http_upgrade", "Upgrade $connection_upgrade")), Codes.NginxUpgradeVariable);

        At(finding, 9, 13);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;    # was: proxy_set_header Upgrade $connection_upgrade;", finding.FixBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_ConnectionHardcoded_Warning()
    {
        var finding = Single(harness.Lint(With("Connection $connection_upgrade", "Connection \"upgrade\"")), Codes.NginxConnectionHardcoded);

        At(finding, 10, 13);
        Assert.Equal(Severity.Warning, finding.Finding.Severity);
    }

    [Fact]
    public void Lint_ConnectionUpgradeWithoutMap_MapMissing()
    {
        var finding = Single(harness.Lint(Without(Map)), Codes.NginxConnectionMapMissing);

        At(finding, 9, 13);
        Assert.Contains("map $http_upgrade $connection_upgrade {", finding.FixBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_NoReadTimeout_DefaultSixtySeconds()
    {
        var finding = Single(harness.Lint(Without("            proxy_read_timeout 1h;")), Codes.NginxReadTimeout);

        At(finding, 6, 9);
        Assert.Equal(60.0, finding.Finding.Data["timeoutSeconds"]);
        Assert.Equal(Severity.Warning, finding.Finding.Severity);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("30000ms", 30)]
    [InlineData("25", 25)]
    [InlineData("\"1m 10s\"", 70)]
    public void Lint_ReadTimeoutNotAboveHeartbeat_ErrorWithParsedValue(string value, double seconds)
    {
        var report = harness.Lint(With("proxy_read_timeout 1h;", $"proxy_read_timeout {value};"), NginxLintHarness.Options(heartbeat: TimeSpan.FromSeconds(75)));

        var finding = Single(report, Codes.NginxReadTimeout);
        At(finding, 12, 13);
        Assert.Equal(seconds, finding.Finding.Data["timeoutSeconds"]);
        Assert.Equal(Severity.Error, finding.Finding.Severity);
    }

    [Fact]
    public void Lint_InvalidTimeValue_IsAConfigurationError()
    {
        harness.Dir.Write("nginx.conf", $"events {{}}\nhttp {{\n{With("proxy_read_timeout 1h;", "proxy_read_timeout 30m1h;")}\n}}\n");

        var result = NginxLinter.LintFile(harness.Main, DiskConfigFiles.Instance, NginxLintHarness.Options());

        Assert.False(result.Ok);
        Assert.Equal((12, 13), (result.Error.Location.Line, result.Error.Location.Column));
    }

    /// <summary>Times past what TimeSpan holds (found by the nginx fuzz target: they threw OverflowException). nginx -t
    /// 1.22 takes 999999999999s (about 31,700 years: forever here) and answers "invalid value" past ngx_int_t
    /// milliseconds, as for 99999999999y and 10888888888M8888888888s.</summary>
    [Theory]
    [InlineData("999999999999s", true)]
    [InlineData("99999999999y", false)]
    [InlineData("10888888888M8888888888s", false)]
    public void Lint_TimePastTimeSpan_ForeverOrInvalidAsNginxSays(string value, bool valid)
    {
        harness.Dir.Write("nginx.conf", $"events {{}}\nhttp {{\n{With("proxy_read_timeout 1h;", $"proxy_read_timeout {value};")}\n}}\n");

        var result = NginxLinter.LintFile(harness.Main, DiskConfigFiles.Instance, NginxLintHarness.Options(heartbeat: TimeSpan.FromSeconds(30)));

        Assert.Equal(valid, result.Ok);
        if (valid)
        {
            Assert.DoesNotContain(result.Value!.Findings, f => f.Finding.Code == Codes.NginxReadTimeout);
        }
        else
        {
            Assert.Equal((12, 13), (result.Error!.Location.Line, result.Error.Location.Column));
        }
    }

    [Fact]
    public void Lint_NoHost_HostHeader()
    {
        var finding = Single(harness.Lint(Without("            proxy_set_header Host $host;")), Codes.NginxHostHeader);

        At(finding, 6, 9);
        Assert.Equal("127.0.0.1:8080", finding.Finding.Data["proxyHost"]);
    }

    [Fact]
    public void Lint_LocationHeadersDropServerLevelOnes_InheritedHeaders()
    {
        var broken = With("        listen 80;", "        listen 80;\n        proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header Host $host;");

        var finding = Single(harness.Lint(broken), Codes.NginxInheritedHeaders);

        // The location's first own proxy_set_header, two lines further down than in the good file.
        At(finding, 11, 13);
        Assert.Equal(["X-Forwarded-Proto"], (string[])finding.Finding.Data["lost"]!);
    }

    [Fact]
    public void Lint_ServerLevelUpgradeLostInLocation_UpgradeHeadersNamesTheInheritance()
    {
        var broken = """
                map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                server {
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    location /live {
                        proxy_pass http://127.0.0.1:8080;
                        proxy_http_version 1.1;
                        proxy_set_header Host $host;
                        proxy_read_timeout 1h;
                    }
                }
            """;

        var report = harness.Lint(broken);

        var finding = Single(report, Codes.NginxUpgradeHeaders);
        At(finding, 7, 9);
        Assert.Contains(finding.Finding.Evidence, e => e.Contains("drops every inherited one", StringComparison.Ordinal));
        Single(report, Codes.NginxInheritedHeaders);
    }

    [Fact]
    public void Lint_HeaderLinesOutsideHttp_AreNotInheritedByTheLocation()
    {
        // nginx refuses proxy_set_header in the main context, so the location gets no header from there: the upgrade
        // lines are reported missing, with a fix at the location (found by the nginx fuzz target: this used to throw).
        var broken = Without("            proxy_set_header Upgrade $http_upgrade;").Replace("            proxy_set_header Connection $connection_upgrade;\n", "", StringComparison.Ordinal)
            .Replace("            proxy_set_header Host $host;\n", "", StringComparison.Ordinal);

        var report = harness.Lint(broken, main: "proxy_set_header Upgrade websocket;\nproxy_set_header Connection upgrade;\n");

        var finding = Single(report, Codes.NginxUpgradeHeaders);
        Assert.Contains("location /ws {", finding.FixBlock, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Finding.Code == Codes.NginxUpgradeVariable || f.Finding.Code == Codes.NginxConnectionHardcoded);
    }

    [Fact]
    public void Lint_TrailingSlashLocation_RedirectsTheBarePath()
    {
        var finding = Single(harness.Lint(With("location /ws {", "location /ws/ {")), Codes.NginxLocationRedirect);

        At(finding, 6, 9);
        Assert.StartsWith("# next to location /ws/", finding.FixBlock, StringComparison.Ordinal);
        Assert.Contains("location = /ws {", finding.FixBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_TrailingSlashLocationWithExactBarePath_NoRedirect()
    {
        var report = harness.Lint(With("location /ws {", "location = /ws { return 404; }\n        location /ws/ {"));

        Assert.DoesNotContain(report.Findings, f => f.Finding.Code == Codes.NginxLocationRedirect);
    }

    [Fact]
    public void Lint_WsPathWithSlash_NoRedirectForThatPath()
    {
        var report = harness.Lint(With("location /ws {", "location /ws/ {"), NginxLintHarness.Options(wsPaths: "/ws/"));

        Assert.DoesNotContain(report.Findings, f => f.Finding.Code == Codes.NginxLocationRedirect);
    }

    [Fact]
    public void Lint_WsPathSelectsAnUnnamedLocation_JudgesIt()
    {
        var broken = "    server {\n        location /realtime/ {\n            proxy_pass http://127.0.0.1:8080;\n        }\n    }";

        var heuristic = harness.Lint(broken);
        var told = harness.Lint(broken, NginxLintHarness.Options(wsPaths: "/realtime"));

        Assert.Empty(heuristic.Findings);
        At(Single(told, Codes.NginxLocationRedirect), 4, 9);
        Single(told, Codes.NginxHttpVersion);
    }

    [Fact]
    public void Lint_WorkerShutdownTimeout_Info()
    {
        var finding = Single(harness.Lint(Good, main: "worker_shutdown_timeout 10s;\n"), Codes.NginxShutdownTimeout);

        At(finding, 1, 1);
        Assert.Equal(Severity.Info, finding.Finding.Severity);
        Assert.Equal(10.0, finding.Finding.Data["timeoutSeconds"]);
    }

    [Fact]
    public void Lint_CertPemBesideFullchain_CertificateChain()
    {
        harness.Dir.Write("live/cert.pem", "unread");
        harness.Dir.Write("live/fullchain.pem", "unread");
        var finding = Single(harness.Lint(With("        listen 80;", "        listen 443 ssl;\n        ssl_certificate live/cert.pem;")), Codes.NginxCertificateChain);

        At(finding, 6, 9);
        Assert.Contains($"ssl_certificate {harness.Dir.Path}/live/fullchain.pem;", finding.FixBlock, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_CertificateFiles_OneCertificateIsReportedAChainIsNot()
    {
        using var pki = Certificates.TestPki.Create(DateTimeOffset.UtcNow);
        using var leaf = pki.IssueLeaf(Certificates.LeafSpec.ForHosts(DateTimeOffset.UtcNow, "example.com"));
        harness.Dir.Write("leaf.pem", Certificates.Pem.Export(leaf));
        harness.Dir.Write("chain.pem", Certificates.Pem.ExportChain([leaf, pki.Intermediate.Certificate]));

        var single = harness.Lint(With("        listen 80;", "        ssl_certificate leaf.pem;"));
        var chain = harness.Lint(With("        listen 80;", "        ssl_certificate chain.pem;"));
        var unreadable = harness.Lint(With("        listen 80;", "        ssl_certificate missing.pem;"));

        At(Single(single, Codes.NginxCertificateChain), 5, 9);
        Assert.Empty(chain.Findings);
        Assert.Empty(unreadable.Findings);
        Assert.Contains("cannot read", Assert.Single(unreadable.Notes).Message, StringComparison.Ordinal);
    }

    public void Dispose() => harness.Dispose();
}
