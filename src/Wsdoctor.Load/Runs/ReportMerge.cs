using HdrHistogram;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Latency;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Load.Runs;

/// <summary>Merges the reports of the shards of one test (run at the same time, e.g. as the pods of an Indexed
/// Job) into the report of the whole: histograms are added, so the percentiles are those of every message of
/// every shard (never an average of percentiles); counts and rates add up, the window is the longest.</summary>
public static class ReportMerge
{
    /// <exception cref="ReportMergeException">The reports are not shards of one test (its text says why).</exception>
    public static LoadReport Merge(IReadOnlyList<LoadReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            throw new ReportMergeException(T("no report to merge", "没有可合并的报告"));
        }

        var shards = reports.Select(r => r.Shard is { } s && Runs.Shard.TryParse(s, out var shard) ? shard : null).ToList();
        if (shards.Any(s => s is null))
        {
            throw new ReportMergeException(T(
                "every report must be a shard (run with --shard I/N); a whole run or a merged report cannot be merged again",
                "每份报告都必须是一个分片（用 --shard I/N 运行）；完整运行的报告或已合并的报告不能再合并"));
        }

        if (shards.Select(s => s!.Count).Distinct().Count() > 1)
        {
            var counts = string.Join(", ", shards.Select(s => s!.ToString()));
            throw new ReportMergeException(T($"the reports come from different shard counts ({counts})", $"这些报告来自不同的分片数（{counts}）"));
        }

        var duplicate = shards.GroupBy(s => s!.Index).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var twice = $"{duplicate.Key}/{shards[0]!.Count}";
            throw new ReportMergeException(T($"shard {twice} is given more than once", $"分片 {twice} 给出了不止一次"));
        }

        if (reports.Select(r => r.Settings with { OpenPath = "" }).Distinct().Count() > 1)
        {
            throw new ReportMergeException(T("the shards were not run with the same target and settings", "这些分片不是用同一个目标和同样的设置运行的"));
        }

        var first = reports[0];
        var errors = MergeErrors(reports);
        var exchanges = reports.Sum(r => r.Messages.TotalExchanges);
        var handshakes = reports.Sum(r => r.Connections.Opened + (r.Hold?.Established ?? 0));
        var errorCount = reports.Sum(r => r.ErrorCount);
        var holds = reports.Where(r => r.Hold is not null).Select(r => r.Hold!).ToList();
        var loops = reports.Where(r => r.OpenLoop is not null).Select(r => r.OpenLoop!).ToList();
        return new LoadReport
        {
            Settings = first.Settings,
            Shard = null,
            MergedShards = [.. shards.OrderBy(s => s!.Index).Select(s => s!.ToString())],
            StartedAt = reports.Min(r => r.StartedAt),
            MeasuredSeconds = reports.Max(r => r.MeasuredSeconds),
            Interrupted = reports.Any(r => r.Interrupted),
            DeadlineExceeded = reports.Any(r => r.DeadlineExceeded),
            Messages = new MessageTotals
            {
                Count = reports.Sum(r => r.Messages.Count),
                // The shards ran side by side: their rates add up.
                PerSecond = reports.Sum(r => r.Messages.PerSecond),
                BytesSent = reports.Sum(r => r.Messages.BytesSent),
                BytesReceived = reports.Sum(r => r.Messages.BytesReceived),
                TotalExchanges = exchanges,
            },
            Latency = LatencyReport.From(Add(reports.Select(r => r.Latency.Histogram))),
            Handshake = LatencyReport.From(Add(reports.Select(r => r.Handshake.Histogram))),
            Steps = [.. first.Steps.Select(step => new StepReport(step.Name, LatencyReport.From(Add(reports.SelectMany(r => r.Steps.Where(s => s.Name == step.Name)).Select(s => s.Latency.Histogram)))))],
            Connections = new ConnectionTotals
            {
                Requested = reports.Sum(r => r.Connections.Requested),
                Opened = reports.Sum(r => r.Connections.Opened),
                PeakOpen = reports.Sum(r => r.Connections.PeakOpen),
                ClosedCleanly = reports.Sum(r => r.Connections.ClosedCleanly),
            },
            Hold = holds.Count == 0 ? null : new HoldTotals
            {
                Requested = holds.Sum(h => h.Requested),
                Established = holds.Sum(h => h.Established),
                OpenAtEnd = holds.Sum(h => h.OpenAtEnd),
                Lost = holds.Sum(h => h.Lost),
            },
            OpenLoop = loops.Count == 0 ? null : new OpenLoopTotals
            {
                RequestedRate = loops.Sum(l => l.RequestedRate),
                SentRate = loops.Sum(l => l.SentRate),
                MaxSendLagMs = loops.Max(l => l.MaxSendLagMs),
                KeptUp = loops.All(l => l.KeptUp),
            },
            ErrorCount = errorCount,
            ErrorRate = LoadReport.RateOf(errorCount, handshakes, exchanges),
            Errors = errors,
        };
    }

    /// <exception cref="FormatException">A histogram that is not HdrHistogram's compressed base64.</exception>
    private static LongHistogram Add(IEnumerable<string> encoded)
    {
        var sum = Histograms.Create();
        foreach (var histogram in encoded)
        {
            sum.Add(Histograms.Decode(histogram));
        }

        return sum;
    }

    private static List<ErrorCount> MergeErrors(IReadOnlyList<LoadReport> reports) =>
        [.. reports.SelectMany(r => r.Errors)
            .GroupBy(e => (e.Code, e.Detail, e.Stage))
            .Select(g => new ErrorCount(g.Key.Code, g.Key.Detail, g.Key.Stage, g.Sum(e => e.Count), g.First().Sample))
            .OrderByDescending(e => e.Count).ThenBy(e => e.Code, StringComparer.Ordinal)];
}

/// <summary>Reports that are not the shards of one test; <see cref="Text"/> says why, in every output language.</summary>
public sealed class ReportMergeException(Wsdoctor.Findings.Text text) : Exception(text?.En)
{
    public Wsdoctor.Findings.Text Text { get; } = text ?? throw new ArgumentNullException(nameof(text));
}
