using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary>One checked target: its report, and where it came from (<c>FILE:LINE</c> of <c>check --targets</c>, null
/// for the URL of a single check).</summary>
public sealed record CheckTarget(string? Source, CheckReport Report);

/// <summary>What one <c>wsdoctor check</c> run produced: one target, or every line of a <c>--targets</c> file in the
/// file's order.</summary>
public sealed record CheckBatch(IReadOnlyList<CheckTarget> Targets, DateTimeOffset StartedAt, double TotalMs, string? TargetsFile)
{
    /// <summary>The worst verdict of all targets: one failing target fails the run.</summary>
    public Verdict Verdict => Targets.Count == 0 ? Verdict.Ok : Targets.Max(t => t.Report.Verdict);

    public int Count(Verdict verdict) => Targets.Count(t => t.Report.Verdict == verdict);

    public static CheckBatch Single(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new CheckBatch([new CheckTarget(null, report)], report.StartedAt, report.TotalMs, null);
    }
}
