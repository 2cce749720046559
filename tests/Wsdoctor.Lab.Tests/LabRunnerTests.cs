using Wsdoctor.Findings;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Lab.Tests;

/// <summary>The runner's second chance: a scenario that failed among the others is run again alone, and the first
/// run's problem stays on the result. Each scenario here is a real check against a closed loopback port; only the
/// evidence verdict is scripted, to fail a given number of times.</summary>
public sealed class LabRunnerTests(LabEnvironmentFixture fixture) : IClassFixture<LabEnvironmentFixture>
{
    [Fact]
    public async Task RunAsync_ScenarioFailsOnceAmongOthers_RunAgainAloneAndPassesWithTheFirstProblemKept()
    {
        var flaky = new Scripted("flaky", failures: 1);
        var steady = new Scripted("steady", failures: 0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var results = await LabRunner.RunAsync([flaky.Scenario, steady.Scenario], fixture.Environment, parallelism: 2, ct: timeout.Token);

        Assert.True(results[0].Passed, results[0].Problem);
        Assert.Equal("flaky: scripted failure 1", results[0].FirstRun?.En);
        Assert.Equal(2, flaky.Runs);
        Assert.True(results[1].Passed, results[1].Problem);
        Assert.Null(results[1].FirstRun);
        Assert.Equal(1, steady.Runs);
    }

    /// <summary>A scenario that always fails: run again alone when it ran among others (parallelism above 1), the
    /// second run's problem reported with the first's; run once when the lab already runs one at a time.</summary>
    [Theory]
    [InlineData(6, 2)]
    [InlineData(1, 1)]
    public async Task RunAsync_ScenarioFailsEveryTime_RunAgainOnlyWhenItRanAmongOthers(int parallelism, int runs)
    {
        var broken = new Scripted("broken", failures: int.MaxValue);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var results = await LabRunner.RunAsync([broken.Scenario], fixture.Environment, parallelism, ct: timeout.Token);

        Assert.False(results[0].Passed);
        Assert.Equal($"broken: scripted failure {runs}", results[0].Problem?.En);
        Assert.Equal(runs == 2 ? "broken: scripted failure 1" : null, results[0].FirstRun?.En);
        Assert.Equal(runs, broken.Runs);
    }

    /// <summary>A refused-port scenario whose evidence check fails its first <c>failures</c> runs.</summary>
    private sealed class Scripted(string name, int failures)
    {
        private int runs;

        public int Runs => Volatile.Read(ref runs);

        public LabScenario Scenario => new(name, Codes.TcpRefused, Text.Verbatim(name), (env, _) =>
        {
            var run = Interlocked.Increment(ref runs);
            return Task.FromResult(new LabInstance(env.Check($"ws://127.0.0.1:{Peers.FreePort()}/"),
                _ => run <= failures ? Text.Verbatim($"{name}: scripted failure {run}") : null));
        });
    }
}
