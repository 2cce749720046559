using System.Text.RegularExpressions;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Findings.Tests;

/// <summary>The Simplified Chinese texts: complete (every code has a page, title and fix), translated (no
/// English prose left behind) and structurally the same as the English pages (nothing dropped).</summary>
public partial class ZhCnTranslationTests
{
    private const string Zh = UiLanguage.SimplifiedChinese;

    private static readonly string[] ZhSectionHeadings = ["## 为什么会出现", "## 如何手动确认", "## 如何修复"];

    public static TheoryData<string> TranslatedCodes => new(Explanations.AvailableCodesIn(Zh));

    [Fact]
    public void EveryCatalogueCode_HasAZhCnPage()
    {
        var missing = Catalogue.All.Select(e => e.Code).Except(Explanations.AvailableCodesIn(Zh)).ToArray();

        Assert.True(missing.Length == 0, $"{missing.Length} codes have no zh-CN page: {string.Join(' ', missing)}");
    }

    [Fact]
    public void EveryCatalogueCode_HasAZhCnTitleAndFix()
    {
        var missing = Catalogue.All.Select(e => e.Code).Except(Localized.ZhCnCodes).ToArray();

        Assert.True(missing.Length == 0, $"{missing.Length} codes have no zh-CN title/fix: {string.Join(' ', missing)}");
        Assert.All(Catalogue.All, e =>
        {
            Assert.NotEqual(e.Title, Localized.Title(e, Zh));
            Assert.NotEqual(e.Fix, Localized.Fix(e, Zh));
        });
    }

    [Fact]
    public void ZhCnPagesAndTitles_NameNoCodeOutsideTheCatalogue()
    {
        var unknown = Explanations.AvailableCodesIn(Zh).Concat(Localized.ZhCnCodes)
            .Where(code => !Catalogue.TryGet(code, out _));

        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(TranslatedCodes))]
    public void ZhCnPage_KeepsTheEnglishSkeleton(string code)
    {
        var english = Lines(Explanations.Get(code)!);
        var chinese = Lines(Explanations.Get(code, Zh)!);

        Assert.StartsWith($"# {code} — ", chinese[0], StringComparison.Ordinal);
        Assert.Matches(CjkRegex(), chinese[0]);
        Assert.Equal(ZhSectionHeadings, Headings(chinese).Skip(1));
        Assert.Equal(Headings(english).Count, Headings(chinese).Count);
        Assert.Equal(english.Count(IsFence), chinese.Count(IsFence));
        Assert.Equal(english.Count(l => l.StartsWith('|')), chinese.Count(l => l.StartsWith('|')));
        Assert.Equal(Bullets(english), Bullets(chinese));
        // Code blocks are the same commands: only comments may be translated.
        Assert.Equal(FencedCommands(english), FencedCommands(chinese));
    }

    [Theory]
    [MemberData(nameof(TranslatedCodes))]
    public void ZhCnPage_HasNoUntranslatedEnglishProse(string code)
    {
        var offences = EnglishProse.Find(Explanations.Get(code, Zh)!);

        Assert.True(offences.Count == 0,
            $"Explanations/zh-CN/{code}.md:\n" + string.Join('\n', offences.Select(o => $"  line {o.Line}: {o.Text}")));
    }

    [Fact]
    public void ZhCnTitlesAndFixes_HaveNoUntranslatedEnglishProse()
    {
        var offences = Catalogue.All
            .SelectMany(e => new[] { ("title", Localized.Title(e, Zh)), ("fix", Localized.Fix(e, Zh)) }
                .SelectMany(t => EnglishProse.Find(t.Item2).Select(o => $"  {e.Code} {t.Item1}: {o.Text}")))
            .ToArray();

        Assert.True(offences.Length == 0, "CatalogueZhCn.cs:\n" + string.Join('\n', offences));
    }

    [Fact]
    public void EnglishProseCheck_RejectsAnEnglishSentenceAndNamesItsLine()
    {
        const string page = "# x.y — 标题\n\n这一段是中文。\nThis sentence was left in English by mistake.\n";

        var offence = Assert.Single(EnglishProse.Find(page));

        Assert.Equal(4, offence.Line);
    }

    [Theory]
    [InlineData("中文里夹了一句 left untranslated by the translator 没翻译。")]
    [InlineData("Use an MQTT client.")]
    [InlineData("浏览器说：the browser refuses it here")]
    public void EnglishProseCheck_RejectsLeftOverEnglish(string line)
    {
        Assert.NotEmpty(EnglishProse.Find(line));
    }

    [Theory]
    [InlineData("运行 `wsdoctor check wss://host/ws --idle 90s --send hello world` 即可。")]
    [InlineData("Chrome 显示 \"Failed to construct the WebSocket here\"，说明被拦截了。")]
    [InlineData("见 https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/WebSocket 的说明。")]
    [InlineData("该端点是 ASP.NET Core SignalR hub")]
    [InlineData("```sh\nopenssl s_client -connect host:443 -servername host\n```")]
    public void EnglishProseCheck_AcceptsCodeUrlsQuotesAndProperNouns(string text)
    {
        Assert.Empty(EnglishProse.Find(text));
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    private static bool IsFence(string line) => line.TrimStart().StartsWith("```", StringComparison.Ordinal);

    private static List<string> Headings(string[] lines)
    {
        var inFence = false;
        var headings = new List<string>();
        foreach (var line in lines)
        {
            if (IsFence(line))
            {
                inFence = !inFence;
            }
            else if (!inFence && line.StartsWith('#'))
            {
                headings.Add(line);
            }
        }

        return headings;
    }

    private static int Bullets(string[] lines) => lines.Count(l => l.StartsWith("- ", StringComparison.Ordinal));

    /// <summary>The lines inside fences with trailing comments removed (comments may be translated).</summary>
    private static string[] FencedCommands(string[] lines)
    {
        var inFence = false;
        var commands = new List<string>();
        foreach (var line in lines)
        {
            if (IsFence(line))
            {
                inFence = !inFence;
            }
            else if (inFence && !line.TrimStart().StartsWith('#'))
            {
                commands.Add(TrailingComment().Replace(line, "").TrimEnd());
            }
        }

        return [.. commands];
    }

    [GeneratedRegex(@"\s{2,}(#|//).*$")]
    private static partial Regex TrailingComment();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex CjkRegex();
}
