using System.Globalization;
using Wsdoctor.Findings;

namespace Wsdoctor.Watch.Scenarios;

/// <summary>A stretch of consecutive failed runs: from the first failure to the next run that passed (or the end).</summary>
public sealed record Outage(TimeSpan From, TimeSpan? Until, int Runs, string Code);

/// <summary>One run as the pattern needs it.</summary>
internal sealed record RunOutcome(TimeSpan At, bool Passed, string? Code, string? Step, string? Message, Finding? RootCause);

/// <summary>What the failed runs of <c>watch --scenario</c> have in common, as watch says it for drops: which cause, how
/// the failures lie in time (one outage that ended: a restart or deploy; down from the start; scattered: intermittent),
/// and the fix — check's root cause when a diagnosis ran, else the catalogue's.</summary>
internal static class ScenarioPattern
{
    public static IReadOnlyList<Outage> Outages(IReadOnlyList<RunOutcome> runs)
    {
        var outages = new List<Outage>();
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].Passed)
            {
                continue;
            }

            var start = i;
            while (i + 1 < runs.Count && !runs[i + 1].Passed)
            {
                i++;
            }

            outages.Add(new Outage(runs[start].At, i + 1 < runs.Count ? runs[i + 1].At : null, i - start + 1, runs[start].Code ?? "?"));
        }

        return outages;
    }

    public static IReadOnlyList<Finding> Analyze(IReadOnlyList<RunOutcome> runs)
    {
        var failed = runs.Where(r => !r.Passed && r.Code is not null).ToArray();
        if (failed.Length == 0)
        {
            return [];
        }

        var outages = Outages(runs);
        var shape = Shape(runs, outages);
        var findings = new List<Finding>();
        foreach (var group in failed.GroupBy(r => r.Code!, StringComparer.Ordinal).OrderByDescending(g => g.Count()))
        {
            var last = group.Last();
            var evidence = new List<Text>
            {
                Text.Untranslated($"{group.Count()} of {runs.Count} run(s) failed with {group.Key} at \"{last.Step}\" (first at +{Seconds(group.First().At)} s, last at +{Seconds(last.At)} s){(last.Message is { } m ? $": {m}" : "")}"),
                Text.Untranslated(shape),
            };
            if (last.RootCause is { } root)
            {
                evidence.AddRange(root.Evidence);
                findings.Add(root with { Message = Text.Untranslated($"{group.Count()} of {runs.Count} run(s): {root.Message}"), Evidence = evidence });
            }
            else
            {
                findings.Add(Finding.Create(group.Key, Text.Untranslated($"{group.Count()} of {runs.Count} run(s) failed at \"{last.Step}\""), evidence,
                    data: new Dictionary<string, object?> { ["runs"] = group.Count(), ["outages"] = outages.Count }));
            }
        }

        return findings;
    }

    private static string Shape(IReadOnlyList<RunOutcome> runs, IReadOnlyList<Outage> outages)
    {
        var failedRuns = outages.Sum(o => o.Runs);
        if (failedRuns == runs.Count)
        {
            return "every run failed: the endpoint was down (or the scenario wrong) for the whole watch";
        }

        if (outages.Count == 1)
        {
            var o = outages[0];
            return o.Until is { } until
                ? $"one outage of {o.Runs} run(s), from +{Seconds(o.From)} s until +{Seconds(until)} s ({Seconds(until - o.From)} s): a restart, deploy or failover, then healthy again"
                : $"failing since +{Seconds(o.From)} s, {o.Runs} run(s) in a row, after {runs.Count - o.Runs} good run(s): it broke during the watch and has not come back";
        }

        var longest = outages.MaxBy(o => o.Runs)!;
        return $"{outages.Count} separate outages ({string.Join(", ", outages.Take(6).Select(o => $"+{Seconds(o.From)} s ×{o.Runs}"))}{(outages.Count > 6 ? ", …" : "")}), the longest {longest.Runs} run(s), good runs between: intermittent, not one outage";
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
