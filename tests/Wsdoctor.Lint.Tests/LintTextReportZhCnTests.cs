using Wsdoctor.Findings;
using Wsdoctor.Lint.Haproxy;
using Wsdoctor.Lint.Nginx;
using Wsdoctor.Lint.Tests.Nginx;
using Wsdoctor.Reports;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lint.Tests;

/// <summary>The lint's text report in Simplified Chinese: labels, messages, evidence, notes and the summary are
/// Chinese; the configuration it quotes and the blocks to paste are the same as in English.</summary>
public sealed class LintTextReportZhCnTests : IDisposable
{
    private readonly NginxLintHarness harness = new();

    [Fact]
    public void Render_ZhCn_NginxFindingAndNote_InChinese_ConfigVerbatim()
    {
        var report = harness.Lint("""
                server {
                    listen 443 ssl;
                    ssl_certificate /nonexistent/wsdoctor/cert.pem;
                    location /ws {
                        proxy_pass http://127.0.0.1:8080;
                    }
                }
            """);
        var upgrade = Reported.Single(report, Codes.NginxUpgradeHeaders);

        var text = Render(report, UiLanguage.SimplifiedChinese);

        Assert.Contains($"错误 {Codes.NginxUpgradeHeaders}：没有转发 Upgrade 和 Connection：", text, StringComparison.Ordinal);
        Assert.Contains("    指令：     location /ws {", text, StringComparison.Ordinal);
        Assert.Contains("    证据：     location /ws（", text, StringComparison.Ordinal);
        Assert.Contains("    修复：     ", text, StringComparison.Ordinal);
        Assert.Contains($"    详见：     wsdoctor explain {Codes.NginxUpgradeHeaders} --lang zh-CN", text, StringComparison.Ordinal);
        Assert.Contains("附注：无法读取 /nonexistent/wsdoctor/cert.pem（文件不存在）", text, StringComparison.Ordinal);
        Assert.Contains("lint nginx：", text, StringComparison.Ordinal);
        Assert.Contains("个错误", text, StringComparison.Ordinal);
        // The block to paste is configuration: the same lines as in English, with the prose line between translated.
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;    # added", text, StringComparison.Ordinal);
        Assert.Contains("并在 http {} 中加上：", text, StringComparison.Ordinal);
        Assert.Contains("and in http {}:", upgrade.FixBlock!.En, StringComparison.Ordinal);
        AssertNoEnglishProse(report, text);
    }

    [Fact]
    public void Render_ZhCn_HaproxyFinding_InChinese()
    {
        var result = HaproxyLinter.Lint("defaults\n    mode http\n    timeout client 30s\n    timeout server 30s\n\nbackend app\n    server a 127.0.0.1:8080\n", "haproxy.cfg", new HaproxyLintOptions(null));
        Assert.True(result.Ok, result.Error?.ToString());

        var text = Render(result.Value, UiLanguage.SimplifiedChinese);

        Assert.Contains($"{Codes.HaproxyTunnelTimeout}：backend app 没有 timeout tunnel：", text, StringComparison.Ordinal);
        Assert.Contains("timeout tunnel 1h    # added", text, StringComparison.Ordinal);
        AssertNoEnglishProse(result.Value, text);
    }

    [Fact]
    public void ConfigError_ZhCn_OneLineInChinese_EnglishUnchanged()
    {
        harness.Dir.Write("nginx.conf", "events {}\nhttp {\n}\n}\n");

        var result = NginxLinter.LintFile(harness.Main, DiskConfigFiles.Instance, NginxLintHarness.Options());

        Assert.False(result.Ok);
        Assert.Equal($"{harness.Main}:4:1: unexpected \"}}\"", result.Error.ToString());
        Assert.Equal($"{harness.Main}:4:1: 此处不应出现 \"}}\"", result.Error.In(UiLanguage.SimplifiedChinese));
    }

    public void Dispose() => harness.Dispose();

    private static string Render(LintReport report, string language)
    {
        using var writer = new StringWriter();
        LintTextReport.Render(report, ConsoleFactory.Create(writer, colour: false), language);
        return writer.ToString();
    }

    /// <summary>Everything but the configuration (the directive quoted, the lines of a block to paste, which are
    /// the same in both languages) is checked for English left untranslated.</summary>
    private static void AssertNoEnglishProse(LintReport report, string text)
    {
        var config = report.Findings
            .SelectMany(f => f.FixBlock is { } block ? block.Zh.Split('\n').Intersect(block.En.Split('\n')) : [])
            .Select(l => l.Trim())
            .Where(l => l.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        var prose = text.Split('\n')
            .Where(l => !config.Contains(l.Trim()))
            .Select(l => report.Findings.Aggregate(l, (line, f) => line.Replace(f.Directive, "", StringComparison.Ordinal)));
        var offences = EnglishProse.Find(string.Join('\n', prose));

        Assert.True(offences.Count == 0, string.Join("\n", offences.Select(o => $"{o.Line}: {o.Text}")) + "\n\n" + text);
    }
}
