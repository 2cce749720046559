using System.CommandLine;
using System.Diagnostics;
using Wsdoctor.Cli.Check;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;
using Wsdoctor.Reports.Sarif;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor check URL</c> and <c>wsdoctor check --targets FILE</c>. Exit 1 when a target's verdict is
/// fail (one failing target fails the run), 0 otherwise (warnings allowed), 2 for a usage mistake, on the command
/// line or on any line of the file (then nothing is checked).</summary>
public static class CheckCommand
{
    public const int DefaultParallel = 4;
    public const int MaxParallel = 64;

    public static Command Create()
    {
        var target = new CheckTargetOptions();
        var format = new ReportFormat("docs/json-schema.md", "text", "json", "junit", "sarif");
        var verbose = new Option<bool>("--verbose", "-v") { Description = H("Also print the raw request and response heads (secrets redacted)", "同时打印原始的请求头和响应头（敏感信息已脱敏）") };
        var targets = new Option<string?>("--targets") { Description = H("Check every target of FILE: one URL per line with optional check options; # comments", "检查 FILE 中的每个目标：每行一个 URL，可附带 check 的选项；# 开头为注释") };
        var parallel = new Option<int?>("--parallel") { Description = H($"With --targets: how many targets are checked at once (default {DefaultParallel})", $"配合 --targets：同时检查多少个目标（默认 {DefaultParallel}）") };
        var output = new Option<string?>("--output") { Description = H("Write the --format report to this file; the text report still goes to stdout", "把 --format 指定的报告写入这个文件；文本报告仍输出到 stdout") };
        var command = new Command("check", H("Diagnose a WebSocket URL layer by layer: root cause, evidence and fix", "逐层诊断一个 WebSocket URL：给出根本原因、证据和修复方法"));
        target.AddTo(command);
        target.Url.Arity = ArgumentArity.ZeroOrOne;
        command.Options.Add(targets);
        command.Options.Add(parallel);
        format.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(verbose);

        command.SetAction(async (result, ct) =>
        {
            var chosen = format.Read(result);
            var language = LanguageOption.Resolve(result);
            var file = result.GetValue(targets);
            var url = result.GetValue(target.Url);
            if ((file is null) == (url is null))
            {
                throw new UsageException(file is null
                    ? T("check needs a URL or --targets FILE", "check 需要一个 URL 或 --targets FILE")
                    : T("give either a URL or --targets FILE, not both", "URL 和 --targets FILE 只能给出其中一个，不能同时给出"));
            }

            if (result.GetValue(output) is not null && chosen == "text")
            {
                throw new UsageException(T("--output needs --format json, junit or sarif", "--output 需要配合 --format json、junit 或 sarif 使用"));
            }

            var bound = result.GetValue(parallel) ?? DefaultParallel;
            if (file is null && result.GetValue(parallel) is not null)
            {
                throw new UsageException(T("--parallel needs --targets", "--parallel 需要配合 --targets 使用"));
            }

            if (bound is < 1 or > MaxParallel)
            {
                throw new UsageException(T($"--parallel takes 1 to {MaxParallel} (got {bound})", $"--parallel 的取值范围是 1 到 {MaxParallel}（收到的是 {bound}）"));
            }

            var batch = file is null
                ? CheckBatch.Single(await target.Read(result).RunAsync(ct).ConfigureAwait(false))
                : await RunTargetsAsync(file, TargetsFile.Load(file, target.Given(result)), bound, ct).ConfigureAwait(false);
            Write(batch, chosen, result.GetValue(output), result.GetValue(verbose), language);
            return batch.Verdict == Verdict.Fail ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Each target with its own options, timeouts and deadline; at most <paramref name="bound"/> at once;
    /// the reports in the file's order whatever order they finish in.</summary>
    private static async Task<CheckBatch> RunTargetsAsync(string file, IReadOnlyList<(string Source, CheckRequest Request)> targets, int bound, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var reports = new CheckTarget[targets.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = bound, CancellationToken = ct },
            async (i, token) =>
            {
                var (source, request) = targets[i];
                try
                {
                    reports[i] = new CheckTarget(source, await request.RunAsync(token).ConfigureAwait(false));
                }
                catch (UsageException ex)
                {
                    // Found only when the check starts (an unreadable --ca, a missing browser): still said per line.
                    throw new UsageException(T($"{source}: {ex.Text}", $"{source}：{ex.Text}"));
                }
            }).ConfigureAwait(false);
        return new CheckBatch(reports, startedAt, clock.Elapsed.TotalMilliseconds, file);
    }

    private static void Write(CheckBatch batch, string format, string? output, bool verbose, string language)
    {
        var rendered = format switch
        {
            "json" => batch.TargetsFile is null ? JsonReport.Render(batch.Targets[0].Report) : TargetsJsonReport.Render(batch),
            "junit" => CheckJunitReport.Render(batch),
            "sarif" => CheckSarifReport.Render(batch),
            _ => null,
        };
        if (rendered is not null && output is null)
        {
            Console.Out.WriteLine(rendered);
            return;
        }

        if (rendered is not null)
        {
            try
            {
                File.WriteAllText(output!, rendered + "\n");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"cannot write --output {output}: {ex.Message}", $"无法写入 --output {output}：{ex.Message}"));
            }
        }

        var console = Terminal.Stdout();
        if (batch.TargetsFile is null)
        {
            TextReport.Render(batch.Targets[0].Report, console, verbose, language);
        }
        else
        {
            TargetsTextReport.Render(batch, console, verbose, language);
        }
    }
}
