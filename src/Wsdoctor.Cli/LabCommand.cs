using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Lab;
using Wsdoctor.Reports;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor lab</c>: starts a local server per reproducible failure, diagnoses each, prints a scoreboard.
/// Loopback only, ephemeral ports, no network needed.</summary>
public static class LabCommand
{
    public static Command Create()
    {
        var list = new Option<bool>("--list") { Description = H("List the scenarios", "列出场景") };
        var scenario = new Option<string[]>("--scenario") { Description = H("Run only this scenario (repeatable); --list shows the names", "只运行这个场景（可重复）；--list 可查看场景名"), Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = H("Print the results as JSON", "以 JSON 输出结果") };
        var verbose = new Option<bool>("--verbose", "-v") { Description = H("Print each scenario's full check report", "打印每个场景完整的 check 报告") };
        var command = new Command("lab", H("Reproduce every catalogued failure on loopback and diagnose each one", "在回环地址上复现目录里的每一种故障，并逐一诊断")) { list, scenario, json, verbose };
        command.SetAction(async (result, ct) =>
        {
            var console = Terminal.Stdout();
            var language = LanguageOption.Resolve(result);
            if (result.GetValue(list))
            {
                foreach (var s in LabCatalog.All)
                {
                    console.MarkupLine($"{Markup.Escape(s.Name),-28} {Markup.Escape(s.ExpectedCode),-30} {Markup.Escape(s.Description.In(language))}");
                }

                return ExitCodes.Ok;
            }

            var selected = Select(result.GetValue(scenario) ?? []);
            using var environment = LabEnvironment.Create();
            var start = Stopwatch.GetTimestamp();
            var results = await LabRunner.RunAsync(selected, environment, ct: ct).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (result.GetValue(json))
            {
                Console.Out.WriteLine(LabJsonReport.Render(
                    [.. results.Select(r => new LabJsonReport.Entry(r.Scenario.Name, r.Scenario.Description.En, r.Scenario.ExpectedCode, r.Found, r.Passed, r.Problem?.En, r.Ms, r.Report, r.FirstRun?.En))],
                    elapsed));
            }
            else
            {
                Scoreboard(console, results, elapsed, result.GetValue(verbose), language);
            }

            return results.All(r => r.Passed) ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static IReadOnlyList<LabScenario> Select(string[] names)
    {
        if (names.Length == 0)
        {
            return LabCatalog.All;
        }

        return names.Select(n => LabCatalog.Find(n) ?? throw new UsageException(T($"unknown lab scenario '{n}' (see: wsdoctor lab --list)", $"未知的 lab 场景“{n}”（参见：wsdoctor lab --list）"))).ToArray();
    }

    private static void Scoreboard(IAnsiConsole console, IReadOnlyList<LabResult> results, double seconds, bool verbose, string language)
    {
        var zh = language == UiLanguage.SimplifiedChinese;
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(zh ? "场景" : "scenario").AddColumn(zh ? "预期" : "expected").AddColumn(zh ? "找到的根本原因" : "root cause found")
            .AddColumn(zh ? "结果" : "result").AddColumn(new TableColumn(zh ? "耗时" : "time").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Scenario.Name),
                Markup.Escape(r.Scenario.ExpectedCode),
                Markup.Escape(r.Found),
                r.Passed ? (zh ? "[green]通过[/]" : "[green]pass[/]") : (zh ? "[red]失败[/]" : "[red]FAIL[/]"),
                TextReport.Ms(r.Ms));
        }

        console.Write(table);
        foreach (var r in results.Where(r => r.FirstRun is not null))
        {
            console.MarkupLine(zh
                ? $"[yellow]{Markup.Escape(r.Scenario.Name)}[/]：与其他场景同时运行时未通过（{Markup.Escape(r.FirstRun!.Zh)}），单独重跑{(r.Passed ? "通过" : "仍未通过")}"
                : $"[yellow]{Markup.Escape(r.Scenario.Name)}[/]: failed while running beside the others ({Markup.Escape(r.FirstRun!.En)}); run again alone, it {(r.Passed ? "passed" : "failed again")}");
        }

        foreach (var r in results.Where(r => !r.Passed || verbose))
        {
            console.MarkupLine($"[bold]{Markup.Escape(r.Scenario.Name)}[/]: {Markup.Escape(r.Problem?.In(language) ?? (zh ? "通过" : "passed"))}");
            if (r.Report is not null)
            {
                TextReport.Render(r.Report, console, verbose: false, language);
                console.WriteLine();
            }
        }

        var passed = results.Count(r => r.Passed);
        var colour = passed == results.Count ? "green" : "red";
        console.MarkupLine(zh
            ? $"[{colour}]{passed}/{results.Count} 个场景诊断正确[/]，用时 {seconds:0.0} 秒"
            : $"[{colour}]{passed}/{results.Count} scenarios diagnosed correctly[/] in {seconds:0.0} s");
    }
}
