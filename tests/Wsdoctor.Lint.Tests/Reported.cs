namespace Wsdoctor.Lint.Tests;

/// <summary>Assertions on a lint report.</summary>
public static class Reported
{
    /// <summary>The one finding with that code; the failure lists every finding with its place.</summary>
    public static LintFinding Single(LintReport report, string code)
    {
        var matching = report.Findings.Where(f => f.Finding.Code == code).ToArray();
        Assert.True(matching.Length == 1, $"{code}: {string.Join("; ", report.Findings.Select(f => $"{f.Location} {f.Finding.Code}"))}");
        return matching[0];
    }
}
