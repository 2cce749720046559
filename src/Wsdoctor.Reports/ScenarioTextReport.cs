using System.Globalization;
using Spectre.Console;
using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Reports;

/// <summary>The human report of <c>wsdoctor test</c>: per scenario each step with its timing, and for the failing
/// step what was expected, what arrived and how they differ; for a transport failure, check's root cause.</summary>
public static class ScenarioTextReport
{
    public static void RenderScenario(ScenarioResult result, IAnsiConsole console, string language = Wsdoctor.Findings.UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(console);
        var status = result.Passed ? "[green]PASS[/]" : "[red]FAIL[/]";
        console.MarkupLine($"{status} [bold]{Esc(result.Name)}[/] [grey]({Esc(result.Mark.File)}:{result.Mark.Line}, {Seconds(result.Duration)})[/]");
        var width = Math.Min(64, result.Steps.Select(s => s.Label.Length + s.Depth * 2).DefaultIfEmpty(0).Max());
        foreach (var step in result.Steps)
        {
            var indent = new string(' ', 2 + step.Depth * 2);
            var (mark, colour) = step.Status switch
            {
                StepStatus.Passed => ("✓", "green"),
                StepStatus.Failed => ("✗", "red"),
                _ => ("·", "grey"),
            };
            var label = Cut(step.Label, 64 - step.Depth * 2).PadRight(Math.Max(0, width - step.Depth * 2));
            if (step.Status == StepStatus.NotRun)
            {
                console.MarkupLine($"{indent}[grey]{mark} {Esc(label)}  not run[/]");
                continue;
            }

            var detail = step.Detail is { } d ? $"  [grey]{Esc(Cut(d, 100))}[/]" : "";
            console.MarkupLine($"{indent}[{colour}]{mark}[/] {Esc(label)} {TextReport.Ms(step.Duration.TotalMilliseconds),9}{detail}");
            if (step.Failure is { } failure && step.Kind is not ("repeat" or "loop" or "call"))
            {
                RenderFailure(step, failure, console, indent + "    ");
            }
        }

        if (result.Diagnosis is { } diagnosis)
        {
            console.MarkupLine("  [grey]diagnosis (wsdoctor check with the scenario's target):[/]");
            TextReport.RenderDiagnosis(diagnosis, console, "  ", language);
        }
    }

    public static void RenderSummary(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(Summary(results, elapsed, colour: true));
    }

    public static string Summary(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, bool colour)
    {
        ArgumentNullException.ThrowIfNull(results);
        var failed = results.Count(r => !r.Passed);
        var steps = results.Sum(r => r.Steps.Count(s => s.Status == StepStatus.Passed && s.Depth == 0));
        var verdict = failed == 0 ? (colour ? "[green]passed[/]" : "passed") : (colour ? "[red]FAILED[/]" : "FAILED");
        return $"{verdict}: {results.Count - failed} of {results.Count} scenario{(results.Count == 1 ? "" : "s")} passed, {failed} failed ({steps} steps passed) in {Seconds(elapsed)}";
    }

    private static void RenderFailure(StepResult step, StepFailure failure, IAnsiConsole console, string indent)
    {
        console.MarkupLine($"{indent}[grey]at[/] {Esc(step.Mark.ToString())}");
        console.MarkupLine($"{indent}[red]{Esc(failure.Message)}[/]");
        if (failure.Expected is { } expected)
        {
            console.MarkupLine($"{indent}[grey]expected:[/] {Esc(expected)}");
        }

        if (failure.Actual is { } actual)
        {
            console.MarkupLine($"{indent}[grey]arrived: [/] {Esc(actual)}");
        }

        foreach (var line in failure.Differences)
        {
            console.MarkupLine($"{indent}  [yellow]-[/] {Esc(line)}");
        }

        foreach (var line in failure.Skipped)
        {
            console.MarkupLine($"{indent}[grey]skipped: [/] {Esc(line)}");
        }

        foreach (var line in failure.CloseLines)
        {
            console.MarkupLine($"{indent}[grey]{Esc(line)}[/]");
        }
    }

    internal static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : $"{span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s";

    private static string Cut(string text, int max) => text.Length <= max ? text : $"{text[..(max - 1)]}…";

    private static string Esc(string text) => Markup.Escape(text);
}
