using System.Text.RegularExpressions;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Bench;

/// <summary>bench and bench merge under zh_CN: the text report, the live progress lines, merge's warning and its
/// errors are Chinese, with no English prose left; the same runs in C.UTF-8 stay English.</summary>
public sealed partial class BenchZhCnTests
{
    private static Dictionary<string, string> Env(string lang)
    {
        var env = WsdoctorProcess.Locale(lang);
        foreach (var (key, value) in BenchCommandTests.NoProxy)
        {
            env[key] = value;
        }

        return env;
    }

    [Fact]
    public async Task Bench_UnderZhCn_ReportAndProgressAreChinese_AndEnglishUnderC()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        // Open loop, a held connection and both SLO gates: every line of the report appears.
        string[] args = ["bench", serve.Url.ToString(), "-c", "2", "--rate", "100", "-d", "2", "--warmup", "0.2s", "--hold", "1", "--heartbeat", "1s",
            "--max-error-rate", "0", "--p99-max", "10s"];

        var zh = await WsdoctorProcess.RunAsync(args, Env("zh_CN.UTF-8"));
        var en = await WsdoctorProcess.RunAsync(args, Env("C.UTF-8"));

        Assert.True(zh.ExitCode == 0, zh.ToString());
        Assert.True(en.ExitCode == 0, en.ToString());
        foreach (var label in new[] { "个连接", "收发方式", "消息", "延迟", "握手", "连接", "保持", "开环", "错误", "SLO 通过", "回显，逐字节校验" })
        {
            Assert.Contains(label, zh.Stdout, StringComparison.Ordinal);
        }

        Assert.Empty(EnglishProse.Find(WithoutUrls(zh.Stdout)));
        var progress = zh.StderrLines.Where(l => l.StartsWith("bench", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, line => Assert.StartsWith("bench：", line, StringComparison.Ordinal));
        Assert.All(progress, line => Assert.Contains("打开", line, StringComparison.Ordinal));
        Assert.Contains(progress, line => line.Contains("测量中", StringComparison.Ordinal));
        Assert.Empty(EnglishProse.Find(string.Join('\n', progress)));

        foreach (var label in new[] { "connections, open loop at", "conversation", "messages", "latency", "held connections established", "SLO pass", "echo, verified byte for byte" })
        {
            Assert.Contains(label, en.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(EnglishProse.Cjk(), en.Stdout + en.Stderr);
        Assert.Contains(en.StderrLines, l => l.Contains("measuring", StringComparison.Ordinal) && l.Contains("msg/s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Merge_UnderZhCn_WarningAndErrorAreChinese()
    {
        await using var serve = await ServeProcess.StartAsync([]);
        var dir = Directory.CreateTempSubdirectory("wsdoctor-merge-zh-");
        try
        {
            var a = Path.Combine(dir.FullName, "a.json");
            var b = Path.Combine(dir.FullName, "b.json");
            string[] common = [serve.Url.ToString(), "-d", "0.5s", "--warmup", "0", "-q"];
            Assert.Equal(0, (await WsdoctorProcess.RunAsync(["bench", .. common, "-c", "2", "--shard", "0/2", "-O", a, "--json"], BenchCommandTests.NoProxy)).ExitCode);
            // The other shard of a test with another connection count: not the same test.
            Assert.Equal(0, (await WsdoctorProcess.RunAsync(["bench", .. common, "-c", "4", "--shard", "1/2", "-O", b, "--json"], BenchCommandTests.NoProxy)).ExitCode);

            var partial = await WsdoctorProcess.RunAsync(["bench", "merge", a], Env("zh_CN.UTF-8"));
            var partialEn = await WsdoctorProcess.RunAsync(["bench", "merge", a], Env("C.UTF-8"));
            var mismatch = await WsdoctorProcess.RunAsync(["bench", "merge", a, b], Env("zh_CN.UTF-8"));
            var mismatchEn = await WsdoctorProcess.RunAsync(["bench", "merge", a, b], Env("C.UTF-8"));

            Assert.True(partial.ExitCode == 0, partial.ToString());
            var warning = Assert.Single(partial.StderrLines);
            Assert.StartsWith("wsdoctor: 警告：", warning, StringComparison.Ordinal);
            Assert.Contains("0/2", warning, StringComparison.Ordinal);
            Assert.Empty(EnglishProse.Find(warning));
            Assert.Contains("由分片 0/2 合并", partial.Stdout, StringComparison.Ordinal);
            Assert.Empty(EnglishProse.Find(WithoutUrls(partial.Stdout)));
            Assert.Equal("wsdoctor: warning: 1 of 2 shards merged (0/2); the totals cover those only", Assert.Single(partialEn.StderrLines));

            Assert.True(mismatch.ExitCode == 2, mismatch.ToString());
            var line = Assert.Single(mismatch.StderrLines);
            Assert.StartsWith("wsdoctor: 错误：", line, StringComparison.Ordinal);
            Assert.Matches(EnglishProse.Cjk(), line["wsdoctor: 错误：".Length..]);
            Assert.Empty(EnglishProse.Find(line));
            mismatchEn.AssertUsageError("the shards were not run with the same target and settings");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The target URL is a value, the same in every language.</summary>
    private static string WithoutUrls(string text) => Url().Replace(text, "URL");

    [GeneratedRegex(@"wss?://\S+")]
    private static partial Regex Url();
}
