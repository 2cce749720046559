using System.Diagnostics;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab;

/// <summary>Starts each scenario's servers, runs <c>check</c> against them, judges the report. Scenarios run a few at
/// a time; each is bounded by the check deadline.</summary>
public static class LabRunner
{
    /// <summary>Runs the scenarios <paramref name="parallelism"/> at a time, then runs each one that failed again, alone:
    /// on a loaded machine a scenario whose check waits on a timeout can miss it only because the others ran beside it.
    /// A second run's result replaces the first; the first run's problem stays on it as <see cref="LabResult.FirstRun"/>.
    /// <paramref name="onResult"/> sees each final result.</summary>
    public static async Task<IReadOnlyList<LabResult>> RunAsync(
        IReadOnlyList<LabScenario> scenarios, LabEnvironment environment, int parallelism = 6,
        Action<LabResult>? onResult = null, CancellationToken ct = default)
    {
        var results = new LabResult[scenarios.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, scenarios.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (i, token) =>
            {
                results[i] = await RunOneAsync(scenarios[i], environment, token).ConfigureAwait(false);
                if (results[i].Passed || parallelism == 1)
                {
                    onResult?.Invoke(results[i]);
                }
            }).ConfigureAwait(false);

        if (parallelism > 1)
        {
            for (var i = 0; i < results.Length; i++)
            {
                if (!results[i].Passed)
                {
                    var again = await RunOneAsync(scenarios[i], environment, ct).ConfigureAwait(false);
                    results[i] = again with { FirstRun = results[i].Problem };
                    onResult?.Invoke(results[i]);
                }
            }
        }

        return results;
    }

    public static async Task<LabResult> RunOneAsync(LabScenario scenario, LabEnvironment environment, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        LabInstance instance;
        try
        {
            instance = await scenario.StartAsync(environment, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            var problem = T($"could not start the scenario's server: {ex.Message}", $"无法启动场景的服务端：{ex.Message}");
            return new LabResult(scenario, null, "-", false, problem, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        await using (instance.ConfigureAwait(false))
        {
            var checkStart = Stopwatch.GetTimestamp();
            CheckReport report = await CheckRunner.RunAsync(instance.Options, ct).ConfigureAwait(false);
            var result = LabResult.Judge(scenario, instance, report, Stopwatch.GetElapsedTime(checkStart).TotalMilliseconds);
            return instance.ServerFaults is [var fault, ..]
                ? result with { Passed = false, Problem = T($"the scenario's server failed: {fault.GetType().Name}: {fault.Message}", $"场景的服务端出错：{fault.GetType().Name}：{fault.Message}") }
                : result;
        }
    }

    /// <summary>A finding's data value, for evidence checks.</summary>
    public static object? Data(CheckReport report, string code, string key) =>
        report.Findings.FirstOrDefault(f => f.Code == code)?.Data.GetValueOrDefault(key);
}
