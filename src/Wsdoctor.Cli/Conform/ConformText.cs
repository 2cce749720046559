using Spectre.Console;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Engine;

namespace Wsdoctor.Cli.Conform;

/// <summary>The terminal side of conform: a progress bar on a terminal (one line per case that is not OK when
/// piped), then the per-category summary and the cases that need attention, the same grades as the reports.</summary>
internal static class ConformText
{
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
                        console.WriteLine($"  … {n}/{total} cases done");
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
                var task = context.AddTask($"{total} cases", maxValue: total);
                var failed = 0;
                results = await run(result =>
                {
                    if (result.IsFailed)
                    {
                        Interlocked.Increment(ref failed);
                    }

                    task.Description = failed == 0 ? $"{total} cases" : $"{total} cases, {failed} FAILED";
                    task.Increment(1);
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return results;
    }

    public static void Summary(IAnsiConsole console, IReadOnlyList<CaseResult> results, TimeSpan elapsed, string agent, string? reportDir)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("category", "cases", "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED");
        foreach (var category in results.GroupBy(r => r.Id[..r.Id.IndexOf('.', StringComparison.Ordinal)]))
        {
            table.AddRow([
                Markup.Escape($"{category.Key} {CaseTable.CategoryName(category.Key)}"),
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
        var verdict = failed > 0 ? $"[red]{failed} FAILED[/]" : "[green]no case FAILED[/]";
        console.MarkupLine($"{Markup.Escape(agent)}: {results.Count} cases in {elapsed.TotalSeconds:0.0} s, {verdict}, " +
            string.Join(", ", Grades.Main.Where(g => g != Grades.Failed).Select(g => $"{results.Count(r => r.Behavior == g)} {g}")));
        if (reportDir is not null)
        {
            console.MarkupLine($"reports: {Markup.Escape(Path.Combine(reportDir, "index.html"))}, {Markup.Escape(Path.Combine(reportDir, "index.json"))}");
        }
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
