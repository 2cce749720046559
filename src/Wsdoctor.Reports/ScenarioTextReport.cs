using System.Globalization;
using Spectre.Console;
using Wsdoctor.Findings;
using Text = Wsdoctor.Findings.Text;
using Wsdoctor.Scenarios.Running;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Reports;

/// <summary>The human report of <c>wsdoctor test</c>: per scenario each step with its timing, and for the failing
/// step what was expected, what arrived and how they differ; for a transport failure, check's root cause.</summary>
public static class ScenarioTextReport
{
    public static void RenderScenario(ScenarioResult result, IAnsiConsole console, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(console);
        var status = result.Passed ? $"[green]{T("PASS", "通过").In(language)}[/]" : $"[red]{T("FAIL", "失败").In(language)}[/]";
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
                console.MarkupLine($"{indent}[grey]{mark} {Esc(label)}  {T("not run", "未运行").In(language)}[/]");
                continue;
            }

            var detail = step.Detail is { } d ? $"  [grey]{Esc(Cut(d.In(language), 100))}[/]" : "";
            console.MarkupLine($"{indent}[{colour}]{mark}[/] {Esc(label)} {TextReport.Ms(step.Duration.TotalMilliseconds),9}{detail}");
            if (step.Failure is { } failure && step.Kind is not ("repeat" or "loop" or "call"))
            {
                RenderFailure(step, failure, console, indent + "    ", language);
            }
        }

        if (result.Diagnosis is { } diagnosis)
        {
            console.MarkupLine($"  [grey]{Esc(T("diagnosis (wsdoctor check with the scenario's target):", "诊断（用场景的目标运行 wsdoctor check）：").In(language))}[/]");
            TextReport.RenderDiagnosis(diagnosis, console, "  ", language);
        }
    }

    public static void RenderSummary(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, IAnsiConsole console, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(Summary(results, elapsed, colour: true, language));
    }

    public static string Summary(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, bool colour, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(results);
        var failed = results.Count(r => !r.Passed);
        var passed = results.Count - failed;
        var steps = results.Sum(r => r.Steps.Count(s => s.Status == StepStatus.Passed && s.Depth == 0));
        var word = failed == 0 ? T("passed", "通过") : T("FAILED", "失败");
        var verdict = colour ? $"[{(failed == 0 ? "green" : "red")}]{word.In(language)}[/]" : word.In(language);
        var line = T($": {passed} of {results.Count} scenario{(results.Count == 1 ? "" : "s")} passed, {failed} failed ({steps} steps passed) in {Seconds(elapsed)}",
            $"：{results.Count} 个场景中 {passed} 个通过，{failed} 个失败（通过 {steps} 个步骤），用时 {Seconds(elapsed)}");
        return verdict + line.In(language);
    }

    private static void RenderFailure(StepResult step, StepFailure failure, IAnsiConsole console, string indent, string language)
    {
        string In(Text text) => Esc(text.In(language));
        console.MarkupLine($"{indent}[grey]{In(T("at", "位置"))}[/] {Esc(step.Mark.ToString())}");
        console.MarkupLine($"{indent}[red]{In(failure.Message)}[/]");
        if (failure.Expected is { } expected)
        {
            console.MarkupLine($"{indent}[grey]{In(T("expected:", "期望："))}[/] {In(expected)}");
        }

        if (failure.Actual is { } actual)
        {
            console.MarkupLine($"{indent}[grey]{In(T("arrived: ", "收到："))}[/] {In(actual)}");
        }

        foreach (var line in failure.Differences)
        {
            console.MarkupLine($"{indent}  [yellow]-[/] {In(line)}");
        }

        foreach (var line in failure.Skipped)
        {
            console.MarkupLine($"{indent}[grey]{In(T("skipped: ", "已跳过："))}[/] {In(line)}");
        }

        foreach (var line in failure.CloseLines)
        {
            console.MarkupLine($"{indent}[grey]{In(line)}[/]");
        }
    }

    internal static string Seconds(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : $"{span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s";

    private static string Cut(string text, int max) => text.Length <= max ? text : $"{text[..(max - 1)]}…";

    private static string Esc(string text) => Markup.Escape(text);
}
