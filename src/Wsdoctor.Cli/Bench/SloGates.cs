using System.Globalization;
using Wsdoctor.Load.Runs;

namespace Wsdoctor.Cli.Bench;

/// <summary>--max-error-rate and --p99-max: a CI job's pass/fail, judged on the report (of a run or of a merge).</summary>
public sealed record SloGates(double? MaxErrorRate, TimeSpan? P99Max)
{
    public bool Any => MaxErrorRate is not null || P99Max is not null;

    public IReadOnlyList<GateResult> Judge(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var results = new List<GateResult>();
        if (MaxErrorRate is { } maxRate)
        {
            var passed = report.ErrorRate <= maxRate;
            var worst = report.Errors.FirstOrDefault();
            var why = passed ? "" : worst is null ? "" : $"; most frequent: {worst.Code}{(worst.Detail is null ? "" : $" {worst.Detail}")} ×{worst.Count}";
            results.Add(new GateResult("max-error-rate", maxRate, report.ErrorRate, passed,
                $"error rate {Percent(report.ErrorRate)} ({report.ErrorCount} errors) {(passed ? "≤" : ">")} {Percent(maxRate)}{why}"));
        }

        if (P99Max is { } p99Max)
        {
            var limit = p99Max.TotalMicroseconds;
            if (report.Latency.Microseconds.Count == 0)
            {
                results.Add(new GateResult("p99-max", limit, null, false, "no message was measured, so p99 is unknown"));
            }
            else
            {
                var p99 = report.Latency.Microseconds.P99;
                var passed = p99 <= limit;
                results.Add(new GateResult("p99-max", limit, p99, passed,
                    $"p99 {BenchText.Latency(p99)} {(passed ? "≤" : ">")} {BenchText.Latency(limit)}"));
            }
        }

        return results;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString(fraction * 100 < 0.1 && fraction > 0 ? "0.####" : "0.##", CultureInfo.InvariantCulture) + "%";
}
