using System.Globalization;
using Wsdoctor.Reports.Junit;
using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor test --format junit</c>: one testsuite per file, one testcase per scenario, a failure element
/// with the failing step, and the step list as system-out.</summary>
public static class ScenarioJunitReport
{
    public static string Render(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suites = results.GroupBy(r => r.Mark.File)
            .Select(file => new JunitSuite(file.Key, TimeSpan.FromTicks(file.Sum(r => r.Duration.Ticks)), file.Select(Case).ToArray()))
            .ToArray();
        return JunitXml.Render("wsdoctor test", suites, elapsed, startedAt);
    }

    private static JunitCase Case(ScenarioResult result) => new(result.Name, result.Mark.File, result.Duration)
    {
        File = result.Mark.File,
        Line = result.Mark.Line,
        Failure = result.FailedStep is { Failure: { } failure } step
            ? new JunitFailure($"{step.Label} ({step.Mark}): {failure.Message}", failure.Kind.ToString(), FailureText(result, step, failure))
            : null,
        SystemOut = string.Join('\n', result.Steps.Select(StepLine)),
    };

    private static string FailureText(ScenarioResult result, StepResult step, StepFailure failure)
    {
        var lines = new List<string> { $"step: {step.Label}", $"at: {step.Mark}", failure.Message };
        if (failure.Expected is { } expected)
        {
            lines.Add($"expected: {expected}");
        }

        if (failure.Actual is { } actual)
        {
            lines.Add($"arrived: {actual}");
        }

        lines.AddRange(failure.Differences.Select(d => $"  - {d}"));
        lines.AddRange(failure.Skipped.Select(s => $"skipped: {s}"));
        lines.AddRange(failure.CloseLines.Select(l => l.En));
        if (result.Diagnosis is { } diagnosis)
        {
            lines.Add($"diagnosis: {diagnosis.Verdict}");
            if (diagnosis.RootCause is { } root)
            {
                lines.Add($"root cause: {root.Code}: {root.Message}");
                lines.AddRange(CheckJunitReport.FindingLines(root));
            }
        }

        return string.Join('\n', lines);
    }

    private static string StepLine(StepResult step)
    {
        var mark = step.Status switch { StepStatus.Passed => "ok  ", StepStatus.Failed => "FAIL", _ => "--  " };
        var time = step.Status == StepStatus.NotRun ? "not run" : $"{step.Duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";
        return $"{mark} {new string(' ', step.Depth * 2)}{step.Label} ({time}){(step.Detail is { } d ? $" {d}" : "")}";
    }
}
