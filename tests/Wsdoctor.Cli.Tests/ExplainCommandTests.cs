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
}
