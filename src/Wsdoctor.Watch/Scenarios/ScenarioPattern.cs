using System.Globalization;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Watch.Scenarios;

/// <summary>A stretch of consecutive failed runs: from the first failure to the next run that passed (or the end).</summary>
public sealed record Outage(TimeSpan From, TimeSpan? Until, int Runs, string Code);

/// <summary>One run as the pattern needs it.</summary>
internal sealed record RunOutcome(TimeSpan At, bool Passed, string? Code, string? Step, Text? Message, Finding? RootCause);

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
            var (count, first, at) = (group.Count(), Seconds(group.First().At), Seconds(last.At));
            var failedRuns = last.Message is { } m
                ? T($"{count} of {runs.Count} run(s) failed with {group.Key} at \"{last.Step}\" (first at +{first} s, last at +{at} s): {m}",
                    $"{runs.Count} 次运行中有 {count} 次在 \"{last.Step}\" 失败，错误为 {group.Key}（第一次在 +{first} s，最后一次在 +{at} s）：{m}")
                : T($"{count} of {runs.Count} run(s) failed with {group.Key} at \"{last.Step}\" (first at +{first} s, last at +{at} s)",
                    $"{runs.Count} 次运行中有 {count} 次在 \"{last.Step}\" 失败，错误为 {group.Key}（第一次在 +{first} s，最后一次在 +{at} s）");
            var evidence = new List<Text> { failedRuns, shape };
            if (last.RootCause is { } root)
            {
                evidence.AddRange(root.Evidence);
                findings.Add(root with { Message = T($"{count} of {runs.Count} run(s): {root.Message}", $"{runs.Count} 次运行中有 {count} 次：{root.Message}"), Evidence = evidence });
            }
            else
            {
                findings.Add(Finding.Create(group.Key, T($"{count} of {runs.Count} run(s) failed at \"{last.Step}\"", $"{runs.Count} 次运行中有 {count} 次在 \"{last.Step}\" 失败"), evidence,
                    data: new Dictionary<string, object?> { ["runs"] = group.Count(), ["outages"] = outages.Count }));
            }
        }

        return findings;
    }

    private static Text Shape(IReadOnlyList<RunOutcome> runs, IReadOnlyList<Outage> outages)
    {
        var failedRuns = outages.Sum(o => o.Runs);
        if (failedRuns == runs.Count)
        {
            return T("every run failed: the endpoint was down (or the scenario wrong) for the whole watch", "每次运行都失败了：整个 watch 期间端点都不可用（或者场景本身有误）");
        }

        if (outages.Count == 1)
        {
            var o = outages[0];
            var from = Seconds(o.From);
            return o.Until is { } until
                ? T($"one outage of {o.Runs} run(s), from +{from} s until +{Seconds(until)} s ({Seconds(until - o.From)} s): a restart, deploy or failover, then healthy again",
                    $"一次故障，持续 {o.Runs} 次运行，从 +{from} s 到 +{Seconds(until)} s（{Seconds(until - o.From)} s）：重启、发布或故障切换，之后恢复正常")
                : T($"failing since +{from} s, {o.Runs} run(s) in a row, after {runs.Count - o.Runs} good run(s): it broke during the watch and has not come back",
                    $"在 {runs.Count - o.Runs} 次成功运行之后，从 +{from} s 起连续 {o.Runs} 次运行失败：它在 watch 期间坏掉了，至今没有恢复");
        }

        var longest = outages.MaxBy(o => o.Runs)!;
        var list = $"{string.Join(", ", outages.Take(6).Select(o => $"+{Seconds(o.From)} s ×{o.Runs}"))}{(outages.Count > 6 ? ", …" : "")}";
        return T($"{outages.Count} separate outages ({list}), the longest {longest.Runs} run(s), good runs between: intermittent, not one outage",
            $"{outages.Count} 次独立的故障（{list}），最长的一次持续 {longest.Runs} 次运行，中间夹着成功的运行：是间歇性的问题，而不是一次故障");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
