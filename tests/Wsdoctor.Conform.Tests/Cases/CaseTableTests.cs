using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Reports;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Conform.Tests.Cases;

public sealed class CaseTableTests
{
    // Autobahn|Testsuite's case counts per category (its case/__init__.py); 0 is wsdoctor's handshake category.
    [Theory]
    [InlineData("1", 16)]
    [InlineData("2", 11)]
    [InlineData("3", 7)]
    [InlineData("4", 10)]
    [InlineData("5", 20)]
    [InlineData("6", 145)]
    [InlineData("7", 37)]
    [InlineData("9", 54)]
    [InlineData("10", 1)]
    [InlineData("12", 90)]
    [InlineData("13", 126)]
    public void All_CategoryCounts_AsAutobahn(string category, int count) =>
        Assert.Equal(count, CaseTable.All.Count(c => c.Category == category));

    [Fact]
    public void For_Clients_NoHandshakeCases_517AsAutobahn()
    {
        Assert.Equal(517, CaseTable.For(testingServer: false).Count);
        Assert.Contains(CaseTable.For(testingServer: true), c => c.Id == "0.1.1");
    }

    [Fact]
    public void All_IdsUniqueAndInAutobahnOrder()
    {
        var ids = CaseTable.All.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(["6.4.4", "6.5.1"], ids.SkipWhile(i => i != "6.4.4").Take(2));
        Assert.Equal(["9.8.6", "10.1.1", "12.1.1"], ids.SkipWhile(i => i != "9.8.6").Take(3));
    }

    [Fact]
    public void Select_FnmatchPatterns_AsAutobahnConfig()
    {
        var all = CaseTable.All;
        Assert.Equal(["6.4.1", "6.4.2", "6.4.3", "6.4.4"], CaseTable.Select(all, ["6.4.*"], null).Select(c => c.Id));
        Assert.DoesNotContain(CaseTable.Select(all, ["1.*"], null), c => c.Id == "10.1.1");
        Assert.Equal(16 + 4, CaseTable.Select(all, ["1.*,6.4.*"], null).Count);
        Assert.Equal(all.Count - 54 - 90 - 126, CaseTable.Select(all, null, ["9.*", "12.*", "13.*"]).Count);
    }

    [Theory]
    [InlineData("1.x")]
    [InlineData("99.*")]
    public void Select_BadPattern_Explains(string pattern) =>
        Assert.Throws<CasePatternException>(() => CaseTable.Select(CaseTable.All, [pattern], null));

    [Fact]
    public void Utf8Cases_ValidityFollowsRfc3629()
    {
        // 6.6: prefixes of the Greek word are valid where a code point ends (bytes 2, 5, 7, 9, 11).
        var prefixes = Utf8Sequences.Groups[1].Sequences.Select(s => System.Text.Unicode.Utf8.IsValid(s)).ToList();
        Assert.Equal([false, true, false, false, true, false, true, false, true, false, true], prefixes);
        Assert.All(Utf8Sequences.Groups[15].Sequences, s => Assert.False(System.Text.Unicode.Utf8.IsValid(s)));
        Assert.Equal(34, Utf8Sequences.Groups[17].Sequences.Count(s => System.Text.Unicode.Utf8.IsValid(s)));
    }

    [Fact]
    public void Docs_CommittedFileIsGeneratedFromTheTable()
    {
        var committed = File.ReadAllText(Path.Combine(Wsdoctor.TestPeers.Peers.NodeProject, "..", "..", "docs", "conform-cases.md"));
        Assert.Equal(CaseDocs.Markdown(CaseTable.All), committed);
    }
}
