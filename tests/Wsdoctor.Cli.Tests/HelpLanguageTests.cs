using System.CommandLine;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests;

/// <summary>Every help text in English and zh-CN: <c>--help --lang zh-CN</c> or a zh_CN locale gives the Chinese
/// descriptions (and System.CommandLine's own zh-Hans titles), the English stays as it was.</summary>
public sealed partial class HelpLanguageTests
{
    [Fact]
    public async Task Help_CheckWithLangZhCn_PrintsTheChineseDescriptions()
    {
        var run = await WsdoctorProcess.RunAsync(["check", "--help", "--lang", "zh-CN"], WsdoctorProcess.Locale("en_US.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.Contains("逐层诊断一个 WebSocket URL：给出根本原因、证据和修复方法", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.TrimStart().StartsWith("--connect-to <connect-to>", StringComparison.Ordinal) && l.Contains("改为连接 HOST:PORT", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.TrimStart().StartsWith("-?, -h, --help", StringComparison.Ordinal) && l.Contains("显示帮助", StringComparison.Ordinal));
        // System.CommandLine's own headings, in Chinese with full-width colons (HelpLayout): "Description:" has no
        // translation in its zh-Hans resources, and the native binary has none at all.
        Assert.Contains("说明：", run.StdoutLines);
        Assert.Contains("用法：", run.StdoutLines);
        Assert.Contains("选项：", run.StdoutLines);
        Assert.DoesNotContain("Description:", run.StdoutLines);
        Assert.DoesNotContain("Diagnose a WebSocket URL layer by layer", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("keeping the URL's Host header and SNI", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Show help and usage information", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", run.StdoutLines);
    }

    [Fact]
    public async Task Help_LabUnderZhCnLocale_PrintsTheChineseDescriptions()
    {
        var run = await WsdoctorProcess.RunAsync(["lab", "--help"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.Contains("在回环地址上复现目录里的每一种故障，并逐一诊断", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(run.StdoutLines, l => l.TrimStart().StartsWith("--list", StringComparison.Ordinal) && l.EndsWith("列出场景", StringComparison.Ordinal));
        Assert.Contains("用法：", run.StdoutLines);
        Assert.DoesNotContain("Reproduce every catalogued failure", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("List the scenarios", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_LangEnUnderZhCnLocale_IsTheEnglishHelp()
    {
        var run = await WsdoctorProcess.RunAsync(["lab", "--help", "--lang=en"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("  Reproduce every catalogued failure on loopback and diagnose each one", run.StdoutLines);
        Assert.Contains("Usage:", run.StdoutLines);
        Assert.DoesNotMatch(Cjk(), run.Stdout);
    }

    /// <summary>The root help lists every command on one short line: explain's argument is named, not its completions
    /// (the finding codes made the command column thousands of characters wide).</summary>
    [Fact]
    public async Task Help_Root_CommandsOnShortLinesWithChineseHeadings()
    {
        var run = await WsdoctorProcess.RunAsync(["--help"], WsdoctorProcess.Locale("zh_CN.UTF-8"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("命令：", run.StdoutLines);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("  explain <code> ", StringComparison.Ordinal));
        Assert.All(run.StdoutLines, l => Assert.True(l.Length < 200, l[..Math.Min(l.Length, 120)]));
        Assert.DoesNotContain(run.StdoutLines, l => l.Length > 0 && l.TrimEnd().EndsWith(':'));
    }

    [Theory]
    [InlineData(new[] { "check", "--lang", "zh-CN" }, "C", "zh-CN")]
    [InlineData(new[] { "check", "--lang=zh-cn" }, "C", "zh-CN")]
    [InlineData(new[] { "--lang:zh-CN", "lab" }, "", "zh-CN")]
    [InlineData(new[] { "lab", "--lang", "en" }, "zh_CN.UTF-8", "en")]
    [InlineData(new[] { "lab" }, "zh_CN.UTF-8", "zh-CN")]
    [InlineData(new[] { "lab" }, "zh_TW.UTF-8", "en")]
    // A bad value falls back to the environment here; LanguageOption.Resolve reports it as a usage error.
    [InlineData(new[] { "lab", "--lang", "xx" }, "zh_CN.UTF-8", "zh-CN")]
    [InlineData(new[] { "lab", "--lang" }, "C", "en")]
    // After "--" the words are arguments, not options.
    [InlineData(new[] { "connect", "ws://a", "--", "--lang", "zh-CN" }, "C", "en")]
    public void FromCommandLine_LangBeatsTheLocale(string[] args, string lang, string expected)
    {
        Assert.Equal(expected, HelpLanguage.FromCommandLine(args, name => name == "LANG" ? lang : null));
    }

    [Fact]
    public void CommandTree_ZhCn_EveryDescriptionIsChinese()
    {
        var root = BuildTree(UiLanguage.SimplifiedChinese);

        var descriptions = Descriptions(root).ToList();
        Assert.True(descriptions.Count > 200, $"only {descriptions.Count} descriptions walked");
        Assert.Empty(Untranslated(descriptions));
        // The same tree in English has no Chinese at all.
        Assert.DoesNotContain(Descriptions(BuildTree(UiLanguage.English)), d => Cjk().IsMatch(d.Text));
    }

    [Fact]
    public void Untranslated_RejectsEnglishAndHalfEnglishDescriptions()
    {
        var root = BuildTree(UiLanguage.SimplifiedChinese);
        var lab = root.Subcommands.Single(c => c.Name == "lab");
        lab.Options.Add(new Option<bool>("--twice") { Description = "Print the report twice" });
        lab.Options.Add(new Option<bool>("--half") { Description = "打印报告 and then print it once more" });
        lab.Arguments.Add(new Argument<string>("kind") { Description = "tcp, tls or http" });
        lab.Options.Add(new Option<string>("--mode") { Description = "echo | broadcast | stdio" });

        var offenders = Untranslated(Descriptions(root)).ToList();

        Assert.Equal(["wsdoctor lab --twice", "wsdoctor lab --half", "wsdoctor lab <kind>"], offenders.Select(o => o.Symbol));
    }

    private sealed record Description(string Symbol, string Text);

    /// <summary>A description passes when it has a Chinese character and no run of English prose (the check of the
    /// findings' Chinese), or when it is pure code: one token, or tokens separated by " | ".</summary>
    private static IEnumerable<Description> Untranslated(IEnumerable<Description> descriptions) =>
        descriptions.Where(d => Cjk().IsMatch(d.Text) ? EnglishProse.Find(d.Text).Count > 0 : !PureCode().IsMatch(d.Text));

    private static IEnumerable<Description> Descriptions(Command command, string path = "")
    {
        path = path.Length == 0 ? "wsdoctor" : $"{path} {command.Name}";
        yield return new Description(path, command.Description ?? "");
        foreach (var option in command.Options)
        {
            yield return new Description($"{path} {option.Name}", option.Description ?? "");
        }

        foreach (var argument in command.Arguments)
        {
            yield return new Description($"{path} <{argument.Name}>", argument.Description ?? "");
        }

        foreach (var sub in command.Subcommands.SelectMany(c => Descriptions(c, path)))
        {
            yield return sub;
        }
    }

    /// <summary>The tree as Program.cs builds it, for <paramref name="language"/>; the process's help language is
    /// English again afterwards.</summary>
    private static RootCommand BuildTree(string language)
    {
        try
        {
            HelpLanguage.Use(language);
            return CommandTree.Build();
        }
        finally
        {
            HelpLanguage.Use(UiLanguage.English);
        }
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"^\S+( \| \S+)*$")]
    private static partial Regex PureCode();
}
