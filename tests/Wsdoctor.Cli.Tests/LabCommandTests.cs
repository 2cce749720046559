using Wsdoctor.TestPeers;
using Wsdoctor.Lab;

namespace Wsdoctor.Cli.Tests;

/// <summary><c>wsdoctor lab</c>: the fault lab from the command line.</summary>
public sealed class LabCommandTests
{
    [Fact]
    public async Task Lab_TwoScenarios_PrintsScoreboardWithBothAndExits0()
    {
        var run = await WsdoctorProcess.RunAsync("lab", "--scenario", "healthy-ws", "--scenario", "http-401");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.Contains(run.StdoutLines, l => l.Trim().StartsWith("healthy-ws ", StringComparison.Ordinal) && l.Contains(" ok ", StringComparison.Ordinal) && l.Contains(" pass ", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.Trim().StartsWith("http-401 ", StringComparison.Ordinal) && l.Contains(" http.unauthorized ", StringComparison.Ordinal) && l.Contains(" pass ", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.StartsWith("2/2 scenarios diagnosed correctly in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LabList_PrintsEveryScenarioName()
    {
        var run = await WsdoctorProcess.RunAsync("lab", "--list");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(LabCatalog.All.Select(s => s.Name), run.StdoutLines.Select(l => l.Split(' ')[0]));
    }
}
