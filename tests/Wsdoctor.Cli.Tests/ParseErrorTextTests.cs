using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests;

/// <summary>System.CommandLine's parse errors, produced by parsing real command lines with wsdoctor's tree, are all
/// known to <see cref="ParseErrorText"/>: each comes out Chinese, with the words the user typed kept.</summary>
public sealed class ParseErrorTextTests
{
    [Theory]
    [InlineData(new[] { "explain", "a", "b" }, "无法识别的命令或参数 'b'")]
    [InlineData(new[] { "lab", "--bogus" }, "无法识别的命令或参数 '--bogus'")]
    [InlineData(new[] { "check", "ws://127.0.0.1:9/", "--timeout" }, "选项 '--timeout' 缺少参数")]
    [InlineData(new[] { "check", "ws://127.0.0.1:9/", "--parallel", "abc" }, "选项 '--parallel' 的参数 'abc' 不是整数")]
    [InlineData(new[] { "check", "ws://127.0.0.1:9/", "--observe", "1s", "--observe", "2s" }, "选项 '--observe' 只接受一个参数，却给了 2 个")]
    public void EveryErrorOfTheseLines_IsChinese(string[] args, string expected)
    {
        var parse = CommandTree.Build().Parse(args);

        var translated = parse.Errors.Select(e => ParseErrorText.Chinese(e.Message)).ToList();
        Assert.Contains(expected, translated);
        Assert.All(translated, t => Assert.False(t.StartsWith('“'), $"not known: {t}"));
        Assert.All(translated, t => Assert.Matches(EnglishProse.Cjk(), t));
    }

    [Fact]
    public void AnUnknownMessage_IsQuotedAsItIs() =>
        Assert.Equal("“Something new happened”", ParseErrorText.Chinese("Something new happened."));

    [Fact]
    public void ListsSystemCommandLineAppends_AreOnOneLine() =>
        Assert.Equal("无法识别参数 'x'，可选值为：'a'、'b'", ParseErrorText.Chinese("Argument 'x' not recognized. Must be one of:\n\t'a'\n\t'b'"));
}
