using System.Diagnostics;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Lab;

/// <summary>Starts each scenario's servers, runs <c>check</c> against them, judges the report. Scenarios run a few at
/// a time; each is bounded by the check deadline.</summary>
public static class LabRunner
{
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
                onResult?.Invoke(results[i]);
            }).ConfigureAwait(false);
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
            return new LabResult(scenario, null, "-", false, $"could not start the scenario's server: {ex.Message}", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        await using (instance.ConfigureAwait(false))
        {
            var checkStart = Stopwatch.GetTimestamp();
            CheckReport report = await CheckRunner.RunAsync(instance.Options, ct).ConfigureAwait(false);
            var result = LabResult.Judge(scenario, instance, report, Stopwatch.GetElapsedTime(checkStart).TotalMilliseconds);
            return instance.ServerFaults is [var fault, ..]
                ? result with { Passed = false, Problem = $"the scenario's server failed: {fault.GetType().Name}: {fault.Message}" }
                : result;
        }
    }

    /// <summary>A finding's data value, for evidence checks.</summary>
    public static object? Data(CheckReport report, string code, string key) =>
        report.Findings.FirstOrDefault(f => f.Code == code)?.Data.GetValueOrDefault(key);
}
