using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Load.Runs;
using static Wsdoctor.Findings.Text;

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
            var gate = new GateResult("max-error-rate", maxRate, report.ErrorRate, report.ErrorRate <= maxRate, "");
            results.Add(gate with { Reason = Reason(gate, report) });
        }

        if (P99Max is { } p99Max)
        {
            var limit = p99Max.TotalMicroseconds;
            var gate = report.Latency.Microseconds.Count == 0
                ? new GateResult("p99-max", limit, null, false, "")
                : new GateResult("p99-max", limit, report.Latency.Microseconds.P99, report.Latency.Microseconds.P99 <= limit, "");
            results.Add(gate with { Reason = Reason(gate, report) });
        }

        return results;
    }

    /// <summary>Why a gate passed or failed, in both languages (the JSON report carries the English).</summary>
    public static Text Reason(GateResult gate, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(report);
        var sign = gate.Passed ? "≤" : ">";
        if (gate.Gate == "max-error-rate")
        {
            var worst = report.Errors.FirstOrDefault();
            var code = worst is null ? "" : $"{worst.Code}{(worst.Detail is null ? "" : $" {worst.Detail}")} ×{worst.Count}";
            var why = gate.Passed || worst is null ? Empty : T($"; most frequent: {code}", $"；最常见的是：{code}");
            var rate = Percent(gate.Actual ?? report.ErrorRate);
            var limit = Percent(gate.Limit);
            return T($"error rate {rate} ({report.ErrorCount} errors) {sign} {limit}{why}", $"错误率 {rate}（{report.ErrorCount} 个错误）{sign} {limit}{why}");
        }

        if (gate.Actual is not { } p99)
        {
            return T("no message was measured, so p99 is unknown", "没有测到任何消息，所以 p99 未知");
        }

        return Verbatim($"p99 {BenchText.Latency(p99)} {sign} {BenchText.Latency(gate.Limit)}");
    }

    private static string Percent(double fraction) => (fraction * 100).ToString(fraction * 100 < 0.1 && fraction > 0 ? "0.####" : "0.##", CultureInfo.InvariantCulture) + "%";
}
