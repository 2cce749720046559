using System.CommandLine;
using Wsdoctor.Load.Runs;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary><c>wsdoctor bench merge FILE...</c>: the report of the whole test from its shards' JSON reports
/// (histograms added, never percentiles averaged), with the same SLO gates and exit codes as a run.</summary>
public static class BenchMergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = H("JSON reports of the shards (bench --shard I/N --json or --output)", "各分片的 JSON 报告（bench --shard I/N --json 或 --output 的输出）"), Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = H("Print the merged report as JSON", "以 JSON 输出合并后的报告") };
        var output = new Option<string?>("--output", "-O") { Description = H("Also write the merged JSON report to FILE", "同时把合并后的 JSON 报告写入 FILE") };
        var maxErrorRate = new Option<string?>("--max-error-rate") { Description = H("SLO: exit 1 when more than this fraction of operations failed, e.g. 0.01 or 1%", "SLO：失败操作的比例超过这个值时退出码为 1，例如 0.01 或 1%") };
        var p99Max = new Option<string?>("--p99-max") { Description = H("SLO: exit 1 when the merged p99 latency is above this, e.g. 50ms", "SLO：合并后的 p99 延迟超过这个值时退出码为 1，例如 50ms") };
        var command = new Command("merge", H("Merge the JSON reports of bench shards into one report, exactly", "把各 bench 分片的 JSON 报告精确地合并成一份报告"));
        command.Arguments.Add(files);
        foreach (var option in new Option[] { json, output, maxErrorRate, p99Max })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var gates = new SloGates(
                result.GetValue(maxErrorRate) is { } mer ? BenchArguments.Fraction(mer, "--max-error-rate") : null,
                result.GetValue(p99Max) is { } p99 ? DurationText.Parse(p99, "--p99-max") : null);
            var reports = new List<LoadReport>();
            foreach (var file in result.GetValue(files) ?? [])
            {
                string text;
                try
                {
                    text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException(T($"cannot read {file}: {ex.Message}", $"无法读取 {file}：{ex.Message}"));
                }

                reports.Add(BenchJson.Read(text, file));
            }

            LoadReport merged;
            try
            {
                merged = ReportMerge.Merge(reports);
            }
            catch (ReportMergeException ex)
            {
                throw new UsageException(ex.Text);
            }
            catch (FormatException ex)
            {
                throw new UsageException(T($"a report's histogram is damaged: {ex.Message}", $"有一份报告的直方图已损坏：{ex.Message}"));
            }

            var count = Shard.TryParse(reports[0].Shard!, out var shard) ? shard!.Count : reports.Count;
            if (reports.Count < count)
            {
                var shards = string.Join(' ', merged.MergedShards);
                var warning = T(
                    $"wsdoctor: warning: {reports.Count} of {count} shards merged ({shards}); the totals cover those only",
                    $"wsdoctor: 警告：只合并了 {count} 个分片中的 {reports.Count} 个（{shards}）；总数只涵盖这些分片");
                await Console.Error.WriteLineAsync(warning.In(LanguageOption.Current)).ConfigureAwait(false);
            }

            merged = merged with { Gates = gates.Judge(merged) };
            await BenchRunner.WriteAsync(merged, result.GetValue(json), result.GetValue(output)).ConfigureAwait(false);
            return BenchRunner.ExitCode(merged);
        });
        return command;
    }
}
