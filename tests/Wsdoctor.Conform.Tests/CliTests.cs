using System.Text.RegularExpressions;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests;

public sealed partial class CliTests
{
    [Theory]
    [InlineData("conform server not-a-url", "is not a ws:// or wss:// URL")]
    [InlineData("conform server wss://127.0.0.1:1/", "cannot connect to 127.0.0.1:1")]
    [InlineData("conform server wss://127.0.0.1:1/ --ca /nonexistent/ca.pem", "--ca: ")]
    [InlineData("conform client --tls-cert /nonexistent/cert.pem", "--tls-cert and --tls-key go together")]
    [InlineData("conform client --tls-cert /nonexistent/cert.pem --tls-key /nonexistent/key.pem", "--tls-cert/--tls-key: ")]
    [InlineData("conform server ws://127.0.0.1:1/", "cannot connect to 127.0.0.1:1")]
    [InlineData("conform server ws://127.0.0.1:1/ --cases 99.*", "no case matches '99.*'")]
    [InlineData("conform server ws://127.0.0.1:1/ --parallel 0", "--parallel takes 1-64")]
    [InlineData("conform client --listen nowhere", "--listen takes ADDRESS:PORT")]
    public async Task BadInput_OneLineExit2(string args, string says)
    {
        var run = await WsdoctorProcess.RunAsync(args.Split(' '));

        run.AssertUsageError(says);
    }

    [Theory]
    [InlineData("conform server not-a-url", "is not a ws:// or wss:// URL")]
    [InlineData("conform server ws://127.0.0.1:1/", "cannot connect to 127.0.0.1:1")]
    [InlineData("conform server ws://127.0.0.1:1/ --cases 99.*", "no case matches '99.*'")]
    [InlineData("conform server ws://127.0.0.1:1/ --cases x", "is not a case pattern")]
    public async Task BadInput_UnderZhCn_OneChineseLine(string args, string english)
    {
        var run = await WsdoctorProcess.RunAsync(args.Split(' '), WsdoctorProcess.Locale("zh_CN.UTF-8"));
        var en = await WsdoctorProcess.RunAsync(args.Split(' '), WsdoctorProcess.Locale("C.UTF-8"));

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("wsdoctor: 错误：", line, StringComparison.Ordinal);
        Assert.Matches(EnglishProse.Cjk(), line["wsdoctor: 错误：".Length..]);
        Assert.Empty(EnglishProse.Find(line));
        Assert.DoesNotContain(english, line, StringComparison.Ordinal);
        en.AssertUsageError(english);
    }

    [Fact]
    public async Task Server_UnderZhCn_SummaryIsChinese_GradesAndIdsStay()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        var url = serve.Url.ToString();
        string[] cases = ["--cases", "1.1.1,1.1.2,2.1,2.2"];

        var (zh, zhReport) = await Conform.ServerAsync(url, "serve", [.. cases], WsdoctorProcess.Locale("zh_CN.UTF-8"));
        var (en, _) = await Conform.ServerAsync(url, "serve", [.. cases], WsdoctorProcess.Locale("C.UTF-8"));

        Assert.True(zh.ExitCode == 0, zh.ToString());
        Assert.Equal("OK", zhReport.Behavior("serve", "2.1"));
        foreach (var part in new[] { "4 个用例", "类别", "用例数", "1 帧", "2 Ping/Pong", "没有 FAILED 的用例", "4 OK", "报告：" })
        {
            Assert.Contains(part, zh.Stdout, StringComparison.Ordinal);
        }

        // Grades are the reports' codes, the same in every language; the target URL and the paths are values.
        var prose = Grades().Replace(Paths().Replace(zh.Stdout, " "), " ");
        Assert.Empty(EnglishProse.Find(prose));
        Assert.True(en.ExitCode == 0, en.ToString());
        Assert.Contains("serve: 4 cases in ", en.Stdout, StringComparison.Ordinal);
        Assert.Contains("no case FAILED, 4 OK, 0 NON-STRICT", en.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 Framing", en.Stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(EnglishProse.Cjk(), en.Stdout);
    }

    [GeneratedRegex(@"\b(OK|NON-STRICT|INFORMATIONAL|UNIMPLEMENTED|FAILED)\b")]
    private static partial Regex Grades();

    [GeneratedRegex(@"(wss?://|/)\S+")]
    private static partial Regex Paths();

    [Fact]
    public async Task Cases_Markdown_IsTheDocsFile()
    {
        var run = await WsdoctorProcess.RunAsync("conform", "cases", "--markdown");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Wsdoctor.TestPeers.Peers.NodeProject, "..", "..", "docs", "conform-cases.md")), run.Stdout);
    }
}
