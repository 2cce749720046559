using System.Text.RegularExpressions;

namespace Wsdoctor.Findings.Tests;

public class ExplanationsTests
{
    // `wsdoctor explain` renders these files to a terminal; every file has the same skeleton.
    private static readonly string[] SectionHeadings =
        ["## Why it happens", "## How to confirm it by hand", "## How to fix it"];

    private const int MaxLineLength = 99;

    public static TheoryData<string> CatalogueCodes => new(Catalogue.All.Select(e => e.Code));

    public static TheoryData<string> ExplainedCodes => new(Explanations.AvailableCodes);

    [Theory]
    [MemberData(nameof(CatalogueCodes))]
    public void Get_CatalogueCode_ReturnsText(string code)
    {
        var text = Explanations.Get(code);

        Assert.False(string.IsNullOrWhiteSpace(text), $"no explanation for {code}");
    }

    [Fact]
    public void AvailableCodes_ContainsNoCodeOutsideTheCatalogue()
    {
        var unknown = Explanations.AvailableCodes.Where(code => !Catalogue.TryGet(code, out _));

        Assert.Empty(unknown);
    }

    [Fact]
    public void AvailableCodes_EqualsTheCatalogueCodes()
    {
        var expected = Catalogue.All.Select(e => e.Code).Order(StringComparer.Ordinal);

        Assert.Equal(expected, Explanations.AvailableCodes);
    }

    [Theory]
    [InlineData("tls.no-such-finding")]
    [InlineData("")]
    [InlineData("Explanations/tls.expired")]
    public void Get_UnknownCode_ReturnsNull(string code)
    {
        Assert.Null(Explanations.Get(code));
    }

    [Theory]
    [MemberData(nameof(ExplainedCodes))]
    public void Explanation_TitleLineNamesItsOwnCode(string code)
    {
        var firstLine = Lines(code)[0];

        var prefix = $"# {code} — ";
        Assert.StartsWith(prefix, firstLine, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(firstLine[prefix.Length..]), "title is empty");
    }

    [Theory]
    [MemberData(nameof(ExplainedCodes))]
    public void Explanation_HasTheThreeSectionsInOrder(string code)
    {
        var headings = Headings(Lines(code)).Select(h => h.Text).ToArray();

        Assert.Equal(SectionHeadings.Length + 1, headings.Length);
        Assert.StartsWith("# ", headings[0], StringComparison.Ordinal);
        Assert.Equal(SectionHeadings, headings[1..]);
    }

    [Theory]
    [MemberData(nameof(ExplainedCodes))]
    public void Explanation_EverySectionHasText(string code)
    {
        var lines = Lines(code);
        var headings = Headings(lines).ToArray();

        for (var i = 1; i < headings.Length; i++)
        {
            var end = i + 1 < headings.Length ? headings[i + 1].Index : lines.Length;
            var body = lines[(headings[i].Index + 1)..end];
            Assert.True(body.Any(l => !string.IsNullOrWhiteSpace(l)), $"'{headings[i].Text}' is empty");
        }
    }

    [Theory]
    [MemberData(nameof(ExplainedCodes))]
    public void Explanation_FitsATerminal(string code)
    {
        var lines = Lines(code);

        var tooLong = lines.Where(l => l.Length > MaxLineLength).ToArray();
        Assert.True(tooLong.Length == 0, $"lines over {MaxLineLength} chars:\n{string.Join('\n', tooLong)}");
        Assert.DoesNotContain(lines, l => l.Contains('\t'));
        Assert.True(lines.Count(IsFence) % 2 == 0, "unbalanced ``` fence");
    }

    [Fact]
    public void ClosedByServer_HasARowForEveryRegisteredCodeAndTheApplicationRanges()
    {
        var text = Explanations.Get(Codes.SessionClosedByServer)!;

        var rows = Enumerable.Range(1000, 16)
            .Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append("3000-3999")
            .Append("4000-4999");
        Assert.All(rows, row => Assert.Matches(new Regex($@"^\| {row} \|", RegexOptions.Multiline), text));
    }

    [Fact]
    public void UpstreamError_ExplainsTheCloudflareOriginErrors()
    {
        var text = Explanations.Get(Codes.HttpUpstreamError)!;

        string[] codes = ["502", "504", "520", "521", "522", "523", "524", "525", "526"];
        Assert.All(codes, c => Assert.Matches($@"\b{c}\b", text));
    }

    [Theory]
    [InlineData(Codes.HttpBadRequest)]
    [InlineData(Codes.HttpProxyDropsUpgrade)]
    public void UpgradeForwarding_ShowsTheNginxMapAndOtherProxies(string code)
    {
        var text = Explanations.Get(code)!;

        Assert.Contains("map $http_upgrade $connection_upgrade {", text, StringComparison.Ordinal);
        Assert.Matches(@"default\s+upgrade;\s+''\s+close;", text);
        Assert.Contains("proxy_http_version 1.1;", text, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", text, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", text, StringComparison.Ordinal);
        Assert.Contains("mod_proxy_wstunnel", text, StringComparison.Ordinal);
        Assert.Contains("RewriteRule", text, StringComparison.Ordinal);
        Assert.Contains("HAProxy", text, StringComparison.Ordinal);
    }

    private static string[] Lines(string code)
    {
        var text = Explanations.Get(code);
        Assert.NotNull(text);
        return text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }

    private static bool IsFence(string line) => line.TrimStart().StartsWith("```", StringComparison.Ordinal);

    /// <summary>Markdown headings of level 1 and 2, skipping fenced code (where `# comment` is common).</summary>
    private static IEnumerable<(int Index, string Text)> Headings(string[] lines)
    {
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (IsFence(lines[i]))
            {
                inFence = !inFence;
            }
            else if (!inFence && (lines[i].StartsWith("# ", StringComparison.Ordinal)
                                  || lines[i].StartsWith("## ", StringComparison.Ordinal)))
            {
                yield return (i, lines[i]);
            }
        }
    }
}
