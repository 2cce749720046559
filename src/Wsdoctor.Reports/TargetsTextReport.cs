using Spectre.Console;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor check --targets FILE</c>: each target's usual report under a header naming its line, then a
/// summary table with one row per target.</summary>
public static class TargetsTextReport
{
    public static void Render(CheckBatch batch, IAnsiConsole console, bool verbose, string language = Wsdoctor.Findings.UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(console);
        for (var i = 0; i < batch.Targets.Count; i++)
        {
            var target = batch.Targets[i];
            console.MarkupLine($"[bold]── [[{i + 1}/{batch.Targets.Count}]] {Markup.Escape(target.Source ?? target.Report.Target)}[/]");
            TextReport.Render(target.Report, console, verbose, language);
            console.WriteLine();
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("target").AddColumn("line").AddColumn("verdict").AddColumn("finding").AddColumn(new TableColumn("time").RightAligned());
        foreach (var target in batch.Targets)
        {
            var report = target.Report;
            var colour = report.Verdict switch { Verdict.Fail => "red", Verdict.Warn => "yellow", _ => "green" };
            table.AddRow(
                Markup.Escape(report.Target),
                Markup.Escape(target.Source ?? ""),
                $"[{colour}]{report.Verdict.ToString().ToUpperInvariant()}[/]",
                Markup.Escape(report.Headline?.Code ?? "-"),
                TextReport.Ms(report.TotalMs));
        }

        console.Write(table);
        var failed = batch.Count(Verdict.Fail);
        var summary = $"{batch.Targets.Count} targets: {batch.Count(Verdict.Ok)} ok, {batch.Count(Verdict.Warn)} warn, {failed} fail in {TextReport.Ms(batch.TotalMs)}";
        console.MarkupLine(failed > 0 ? $"[bold red]FAIL[/] {summary}" : $"[bold green]OK[/] {summary}");
    }
}
