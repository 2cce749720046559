using System.Text.RegularExpressions;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Findings.Tests;

/// <summary>Every translation written in the code (<c>T(english, chinese)</c>) is Chinese: no English prose left in
/// its own words, and never the English copied over; every <c>Verbatim("...")</c> literal is a value or a command,
/// not English prose passed off as language-neutral. Read from the source, so paths no test runs are covered too.</summary>
public sealed class BilingualSourceTests
{
    [Fact]
    public void EveryChineseText_InTheSource_IsTranslated()
    {
        var offences = SourceFiles()
            .SelectMany(f => BilingualSource.ChineseArguments(File.ReadAllText(f)).SelectMany(a => Problems(a.Literal).Select(p => $"{Relative(f)}:{a.Line}: {p}")))
            .ToList();

        Assert.True(offences.Count == 0, $"{offences.Count} Chinese text(s) with English left in them:\n{string.Join("\n", offences)}");
    }

    [Fact]
    public void EveryVerbatimLiteral_InTheSource_IsNotEnglishProse()
    {
        var offences = SourceFiles()
            .SelectMany(f => BilingualSource.VerbatimArguments(File.ReadAllText(f))
                .Where(a => EnglishProse.WordRun().IsMatch(a.Literal))
                .Select(a => $"{Relative(f)}:{a.Line}: {a.Literal}"))
            .ToList();

        Assert.True(offences.Count == 0, $"English prose marked Verbatim (it needs a translation: T(english, chinese)):\n{string.Join("\n", offences)}");
    }

    [Fact]
    public void TheSourceHoldsTranslations_SoTheChecksAboveHaveSomethingToCheck()
    {
        var count = SourceFiles().Sum(f => BilingualSource.ChineseArguments(File.ReadAllText(f)).Count);

        Assert.True(count > 100, $"only {count} T(english, chinese) calls found under src/: is the scanner still finding them?");
    }

    [Fact]
    public void Scanner_FindsTheChineseArgument_WithoutTheValuesInItsHoles()
    {
        const string source = """"
            // T("in a comment", "is not a call")
            var a = T($"certificate covers {covers}, not {host}", $"证书覆盖 {Describe(names, "English in a hole")}，不包括 {host}");
            var b = Text.T("plain", @"逐字 ""引号""");
            var c = other.T("not ours", "not ours either");
            var d = T("x", $$"""原始 {{value}} 字符串""");
            var e = Verbatim("GET / HTTP/1.1");
            var f = Verbatim(Block.Add("mode http", "added, if this proxy carries HTTP").ToString());
            """";

        var chinese = BilingualSource.ChineseArguments(source);

        Assert.Equal(["证书覆盖  ，不包括  ", "逐字 \"引号\"", "原始   字符串"], chinese.Select(a => a.Literal));
        Assert.Equal([2, 3, 5], chinese.Select(a => a.Line));
        Assert.Equal("GET / HTTP/1.1", Assert.Single(BilingualSource.VerbatimArguments(source)).Literal);
    }

    [Theory]
    [InlineData("""T("not reached", "not reached")""")]
    [InlineData("""T($"the server closed after {n} s", $"服务端在 {n} s 后 closed the connection without a close frame")""")]
    [InlineData("""T("a", $"{x} ms total")""")]
    public void Check_RejectsAnUntranslatedChineseSide(string call)
    {
        var argument = Assert.Single(BilingualSource.ChineseArguments(call));

        Assert.NotEmpty(Problems(argument.Literal));
    }

    [Theory]
    [InlineData("""T("not reached", "未到达")""")]
    [InlineData("""T($"answered {status} to the upgrade", $"升级请求返回了 {status}（不是 101）")""")]
    [InlineData("""T("set proxy_read_timeout", "调大 `proxy_read_timeout 3600s;`")""")]
    [InlineData("""T($"Location: {x}", $"Location: {None}")""")]
    [InlineData("""T($"ping/pong {rtt} ms", $"ping/pong {rtt} ms")""")]
    public void Check_AcceptsATranslation(string call)
    {
        var argument = Assert.Single(BilingualSource.ChineseArguments(call));

        Assert.Empty(Problems(argument.Literal));
    }

    /// <summary>English prose in the Chinese text's own words, or a Chinese side with Latin words and not one Chinese
    /// character (the English copied over).</summary>
    private static IEnumerable<string> Problems(string literal)
    {
        foreach (var offence in EnglishProse.Find(literal))
        {
            yield return $"English prose \"{offence.Text}\" in \"{literal}\"";
        }

        if (!EnglishProse.Cjk().IsMatch(literal) && EnglishProse.Find(literal).Count == 0 && EnglishProse.Word().Matches(literal).Any(w => IsEnglishWord(literal, w)))
        {
            yield return $"no Chinese in \"{literal}\"";
        }
    }

    /// <summary>A word of English, not a name from code or protocol: header names ("Location:"), tokens with
    /// '/', '-', '_', '.', digits or inner capitals (ping/pong, Retry-After, permessage-deflate) and units do not count.</summary>
    private static bool IsEnglishWord(string literal, Match word)
    {
        var value = word.Value;
        var next = word.Index + value.Length;
        var followedByColon = next < literal.Length && literal[next] == ':';
        return value.Length >= 2 && !followedByColon && !Untranslatable.Contains(value)
               && value.All(char.IsLetter) && !value.Skip(1).Any(char.IsUpper);
    }

    // Words a Chinese text keeps as they are even when it has no Chinese character of its own (units, protocols).
    private static readonly HashSet<string> Untranslatable = new(StringComparer.Ordinal)
    {
        "ms", "s", "KiB", "MiB", "GiB", "TLS", "HTTP", "TCP", "DNS", "IPv4", "IPv6", "URL", "ws", "wss", "WebSocket",
    };

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(Root, file);

    private static string Root => Repository.Root;
}
