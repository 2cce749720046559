using Wsdoctor.TestPeers;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli.Tests;

/// <summary><c>wsdoctor explain</c>: the long text of every finding, one command away.</summary>
public sealed class ExplainCommandTests
{
    [Fact]
    public async Task ExplainList_PrintsEveryCatalogueCode()
    {
        var run = await WsdoctorProcess.RunAsync("explain", "--list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        var listed = run.StdoutLines.Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToArray();
        Assert.Equal(Catalogue.All.Select(e => e.Code).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal($"{Catalogue.All.Count} codes. wsdoctor explain CODE prints one in full.", run.StdoutLines[^1]);
    }

    [Fact]
    public async Task Explain_IncompleteChain_PrintsTitleAndTheThreeSections()
    {
        var run = await WsdoctorProcess.RunAsync("explain", "tls.incomplete-chain");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        var lines = run.StdoutLines;
        var headings = new[]
        {
            "tls.incomplete-chain — server does not send the intermediate certificates",
            "Why it happens",
            "How to confirm it by hand",
            "How to fix it",
        }.Select(h => Array.IndexOf(lines, h)).ToArray();
        Assert.All(headings, i => Assert.True(i >= 0, run.Stdout));
        Assert.Equal(headings.Order(), headings);
        Assert.Equal(0, headings[0]);
        // Each section has its body, and markdown heading marks are rendered away.
        Assert.Contains(lines[headings[2]..headings[3]], l => l.Contains("openssl s_client", StringComparison.Ordinal));
        Assert.Contains(lines[headings[3]..], l => l.Contains("fullchain.pem", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith('#'));
    }

    [Fact]
    public async Task Explain_LangZhCn_PrintsTheChinesePageAndLabels()
    {
        var run = await WsdoctorProcess.RunAsync(["explain", "tls.name-mismatch", "--lang", "zh-CN"], WsdoctorProcess.Locale("en_US.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.StartsWith("tls.name-mismatch — ", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains("证书", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.Contains("如何修复", run.StdoutLines);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("修复方法：", StringComparison.Ordinal));
        Assert.DoesNotContain("Why it happens", run.StdoutLines);
    }

    [Fact]
    public async Task Explain_LangFromTheLocale_PrintsChinese()
    {
        var run = await WsdoctorProcess.RunAsync(["explain", "tls.name-mismatch"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("证书", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Why it happens", run.StdoutLines);
    }

    [Fact]
    public async Task Explain_LangEn_WinsOverAChineseLocale()
    {
        var run = await WsdoctorProcess.RunAsync(["explain", "tls.name-mismatch", "--lang", "en"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Why it happens", run.StdoutLines);
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", run.Stdout);
    }

    [Fact]
    public async Task ExplainList_LangZhCn_PrintsChineseTitles()
    {
        var run = await WsdoctorProcess.RunAsync(["explain", "--list", "--lang", "zh-CN"], WsdoctorProcess.Locale("C"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.Contains("tls.name-mismatch", StringComparison.Ordinal)
                                               && l.Contains("证书不包含该主机名", StringComparison.Ordinal));
        Assert.Equal($"共 {Catalogue.All.Count} 个诊断代码。wsdoctor explain CODE 可查看完整说明。", run.StdoutLines[^1]);
    }

    [Fact]
    public async Task Explain_UnknownLang_OneUsageErrorLine()
    {
        var run = await WsdoctorProcess.RunAsync("explain", "tls.name-mismatch", "--lang", "xx");

        run.AssertUsageError("--lang must be en or zh-CN (got 'xx')");
        Assert.Equal("", run.Stdout);
    }
}
