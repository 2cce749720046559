using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;
using Wsdoctor.Scenarios.Loading;
using Wsdoctor.Scenarios.Model;
using Wsdoctor.Scenarios.Running;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Test;

/// <summary><c>wsdoctor test FILE…</c>: runs the scenarios of each file (docs/scenarios.md), one connection per
/// scenario, and reports each step; exit 0 when all pass, 1 when one fails, 2 for a bad file or option.</summary>
public static class TestCommand
{
    private static readonly string[] Formats = ["text", "json", "junit"];

    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = H("Scenario files (YAML)", "场景文件（YAML）"), Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = H("Report format: text (default), json or junit", "报告格式：text（默认）、json 或 junit"), DefaultValueFactory = _ => "text" };
        var output = new Option<string?>("--output") { Description = H("Write the --format report to this file; the text report still goes to stdout", "把 --format 指定的报告写入这个文件；文本报告仍输出到 stdout") };
        var only = new Option<string[]>("--scenario") { Description = H("Run only the scenario with this name (repeatable)", "只运行这个名字的场景（可重复）"), Arity = ArgumentArity.ZeroOrMore };
        var vars = new Option<string[]>("--var") { Description = H("Set a variable NAME=VALUE over the files' vars: (repeatable)", "设置变量 NAME=VALUE，覆盖文件中 vars: 的值（可重复）"), Arity = ArgumentArity.ZeroOrMore };
        var list = new Option<bool>("--list") { Description = H("List the scenarios and their steps without connecting", "列出场景及其步骤，不建立连接") };
        var noDiagnose = new Option<bool>("--no-diagnose") { Description = H("Do not run check's diagnosis after a transport failure", "传输失败后不运行 check 的诊断") };
        var showSecrets = new Option<bool>("--show-secrets") { Description = H("Print tokens, cookies and Authorization unredacted", "打印未脱敏的令牌、cookie 和 Authorization") };
        var command = new Command("test", H("Run scenario files: declarative WebSocket conversations as tests (text, JSON or JUnit report)", "运行场景文件：把声明式的 WebSocket 对话当作测试来跑（text、JSON 或 JUnit 报告）"));
        command.Arguments.Add(files);
        foreach (var option in new Option[] { format, output, only, vars, list, noDiagnose, showSecrets })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var chosen = result.GetValue(format)!;
            if (!Formats.Contains(chosen))
            {
                throw new UsageException(T($"--format takes text, json or junit (got '{chosen}')", $"--format 只能是 text、json 或 junit（收到的是“{chosen}”）"));
            }

            var settings = new Settings(
                result.GetValue(files)!,
                chosen,
                result.GetValue(output),
                result.GetValue(only) ?? [],
                ParseVars(result.GetValue(vars) ?? []),
                result.GetValue(list),
                !result.GetValue(noDiagnose),
                result.GetValue(showSecrets));
            return await RunAsync(settings, ct).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record Settings(
        IReadOnlyList<string> Files, string Format, string? Output, IReadOnlyList<string> Only,
        IReadOnlyDictionary<string, string> Vars, bool List, bool Diagnose, bool ShowSecrets);

    private static async Task<int> RunAsync(Settings settings, CancellationToken ct)
    {
        var loaded = new List<ScenarioFile>();
        foreach (var path in settings.Files)
        {
            if (!File.Exists(path))
            {
                throw new UsageException(T($"{path}: no such file", $"{path}：文件不存在"));
            }

            try
            {
                loaded.Add(ScenarioLoader.Load(path, overrides: settings.Vars));
            }
            catch (ScenarioFileException ex)
            {
                throw new UsageException(ex.Text);
            }
        }

        var selected = Select(loaded, settings.Only);
        var stdoutIsReport = settings.Format != "text" && settings.Output is null;
        var console = ConsoleFactory.Create(stdoutIsReport ? Console.Error : Console.Out, ConsoleFactory.ColourWanted(stdoutIsReport || Console.IsOutputRedirected));
        if (settings.List)
        {
            foreach (var (file, scenario) in selected)
            {
                var url = Secrets(scenario.Target.Url!, settings.ShowSecrets);
                console.WriteLine(T($"{file.Path}:{scenario.Mark.Line}: {scenario.Name} ({scenario.Steps.Count} steps, {url})",
                    $"{file.Path}:{scenario.Mark.Line}：{scenario.Name}（{scenario.Steps.Count} 个步骤，{url}）").In(LanguageOption.Current));
            }

            return ExitCodes.Ok;
        }

        var options = new RunOptions
        {
            ShowSecrets = settings.ShowSecrets,
            Diagnose = settings.Diagnose ? static (check, token) => CheckRunner.RunAsync(check with { NoFollowUpProbes = false }, token) : null,
        };
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var results = new List<ScenarioResult>();
        foreach (var (file, scenario) in selected)
        {
            if (ct.IsCancellationRequested)
            {
                break;
            }

            var run = await ScenarioRunner.RunAsync(scenario, file, options, ct).ConfigureAwait(false);
            results.Add(run);
            ScenarioTextReport.RenderScenario(run, console, LanguageOption.Current);
            console.WriteLine();
        }

        ScenarioTextReport.RenderSummary(results, clock.Elapsed, console, LanguageOption.Current);
        if (settings.Format != "text")
        {
            var report = settings.Format == "json"
                ? ScenarioJsonReport.Render(results, clock.Elapsed, startedAt)
                : ScenarioJunitReport.Render(results, clock.Elapsed, startedAt);
            if (settings.Output is { } path)
            {
                await WriteAsync(path, report, ct).ConfigureAwait(false);
            }
            else
            {
                await Console.Out.WriteLineAsync(report).ConfigureAwait(false);
            }
        }
        else if (settings.Output is { } path)
        {
            await WriteAsync(path, ScenarioTextReport.Summary(results, clock.Elapsed, colour: false, LanguageOption.Current), ct).ConfigureAwait(false);
        }

        // Interrupted: the report of what ran is out; CliHost says so and exits 130 (SIGINT) or 143 (SIGTERM).
        ct.ThrowIfCancellationRequested();

        return results.All(r => r.Passed) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static List<(ScenarioFile File, Scenario Scenario)> Select(List<ScenarioFile> files, IReadOnlyList<string> only)
    {
        var all = files.SelectMany(f => f.Scenarios.Select(s => (File: f, Scenario: s))).ToList();
        if (only.Count == 0)
        {
            return all;
        }

        foreach (var name in only)
        {
            if (!all.Any(x => x.Scenario.Name == name))
            {
                var names = string.Join(", ", all.Select(x => $"'{x.Scenario.Name}'"));
                throw new UsageException(T($"--scenario: no scenario is named '{name}' (there are: {names})", $"--scenario：没有名为“{name}”的场景（现有的场景：{names}）"));
            }
        }

        return [.. all.Where(x => only.Contains(x.Scenario.Name))];
    }

    private static Dictionary<string, string> ParseVars(IEnumerable<string> pairs)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException(T($"--var takes NAME=VALUE (got '{pair}')", $"--var 的格式是 NAME=VALUE（收到的是“{pair}”）"));
            }

            var name = pair[..equals];
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') || char.IsAsciiDigit(name[0]) || Variables.BuiltIns.Contains(name))
            {
                throw new UsageException(T($"--var: '{name}' is not a variable name that can be set", $"--var：“{name}”不是可以设置的变量名"));
            }

            vars[name] = pair[(equals + 1)..];
        }

        return vars;
    }

    private static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        try
        {
            await File.WriteAllTextAsync(path, text + "\n", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException(T($"--output: cannot write {path}: {ex.Message}", $"--output：无法写入 {path}：{ex.Message}"));
        }
    }

    private static string Secrets(string url, bool show) => show ? url : Protocol.Secrets.SecretRedactor.RedactUrl(url);
}
