using Spectre.Console;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;
using Text = Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Conform;

/// <summary>The terminal side of conform: a progress bar on a terminal (one line per case that is not OK when
/// piped), then the per-category summary and the cases that need attention, the same grades as the reports; in the
/// command's language (<see cref="LanguageOption.Current"/>: case ids, grades and the cases' results stay as the
/// reports have them).</summary>
internal static class ConformText
{
    private static string In(Text text) => text.In(LanguageOption.Current);

    public static async Task<IReadOnlyList<CaseResult>> WithProgressAsync(IAnsiConsole console, bool interactive, int total,
        Func<Action<CaseResult>, Task<IReadOnlyList<CaseResult>>> run)
    {
        if (!interactive)
        {
            var done = 0;
            return await run(result =>
            {
                var n = Interlocked.Increment(ref done);
                if (result.Behavior is not (Grades.Ok or Grades.Informational or Grades.Unimplemented))
                {
                    lock (console)
                    {
                        console.WriteLine($"  {result.Behavior,-13} {result.Id,-8} {result.Result}");
                    }
                }
                else if (n % 100 == 0)
                {
                    lock (console)
                    {
                        console.WriteLine(In(T($"  … {n}/{total} cases done", $"  … 已完成 {n}/{total} 个用例")));
                    }
                }
            }).ConfigureAwait(false);
        }

        IReadOnlyList<CaseResult> results = [];
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(In(T($"{total} cases", $"{total} 个用例")), maxValue: total);
                var failed = 0;
                results = await run(result =>
                {
                    if (result.IsFailed)
                    {
                        Interlocked.Increment(ref failed);
                    }

                    task.Description = In(failed == 0 ? T($"{total} cases", $"{total} 个用例") : T($"{total} cases, {failed} FAILED", $"{total} 个用例，{failed} 个 FAILED"));
                    task.Increment(1);
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return results;
    }

    public static void Summary(IAnsiConsole console, IReadOnlyList<CaseResult> results, TimeSpan elapsed, string agent, string? reportDir)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns([In(T("category", "类别")), In(T("cases", "用例数")), .. Grades.Main]);
        foreach (var category in results.GroupBy(r => r.Id[..r.Id.IndexOf('.', StringComparison.Ordinal)]))
        {
            table.AddRow([
                Markup.Escape($"{category.Key} {In(CaseTable.CategoryTitle(category.Key))}"),
                category.Count().ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. Grades.Main.Select(g => Count(category, g)),
            ]);
        }

        console.Write(table);
        var attention = results.Where(r => r.Behavior is Grades.Failed or Grades.NonStrict).ToList();
        foreach (var r in attention)
        {
            var colour = r.IsFailed ? "red" : "yellow";
            console.MarkupLine($"  [{colour}]{Markup.Escape(r.Behavior),-10}[/] {Markup.Escape(r.Id),-8} {Markup.Escape(r.Result)}");
        }

        var failed = results.Count(r => r.IsFailed);
        var verdict = failed > 0 ? $"[red]{Markup.Escape(In(T($"{failed} FAILED", $"{failed} 个 FAILED")))}[/]" : $"[green]{Markup.Escape(In(T("no case FAILED", "没有 FAILED 的用例")))}[/]";
        var seconds = elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        var grades = Grades.Main.Where(g => g != Grades.Failed).Select(g => $"{results.Count(r => r.Behavior == g)} {g}").ToList();
        console.MarkupLine(Markup.Escape(agent) + Markup.Escape(In(T($": {results.Count} cases in {seconds} s, ", $"：{seconds} s 内运行了 {results.Count} 个用例，"))) + verdict +
            Markup.Escape(In(T($", {string.Join(", ", grades)}", $"，{string.Join("，", grades)}"))));
        if (reportDir is not null)
        {
            console.MarkupLine(Markup.Escape(Reports(reportDir)));
        }
    }

    /// <summary>The line that says where the reports are.</summary>
    public static string Reports(string reportDir)
    {
        var html = Path.Combine(reportDir, "index.html");
        var json = Path.Combine(reportDir, "index.json");
        return In(T($"reports: {html}, {json}", $"报告：{html}、{json}"));
    }

    private static string Count(IEnumerable<CaseResult> results, string grade)
    {
        var n = results.Count(r => r.Behavior == grade);
        return n == 0 ? "[grey]0[/]" : grade switch
        {
            Grades.Failed => $"[red]{n}[/]",
            Grades.NonStrict => $"[yellow]{n}[/]",
            _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static int ExitCode(IReadOnlyList<CaseResult> results, bool strict) =>
        results.Any(r => r.IsFailed || (strict && r.Behavior == Grades.NonStrict)) ? ExitCodes.Failure : ExitCodes.Ok;
}
