using Wsdoctor.Cli.Connect;
using Wsdoctor.Load.Latency;
using Wsdoctor.Load.Runs;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary>Runs a bench: live progress on stderr, the report on stdout (text or --json, and --output), the
/// --hdr-log, the SLO gates and the exit code. When not a single connection opened, check diagnoses the URL
/// with the same options, as connect does.</summary>
public static class BenchRunner
{
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(BenchSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Before the first socket of this process: the loop's continuations run on the epoll threads (docs/performance.md).
        Wsdoctor.Load.Connections.SocketCompletions.PreferInline();
        var progress = settings.Quiet ? null : new BenchProgress(Console.Error, terminal: !Console.IsErrorRedirected, LanguageOption.Current);
        HdrLogWriter? log = null;
        if (settings.HdrLog is { } path)
        {
            try
            {
                log = new HdrLogWriter(File.Create(path), DateTimeOffset.UtcNow, $"Logged with wsdoctor bench: latency in nanoseconds from each message's intended send time");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"--hdr-log: cannot write {path}: {ex.Message}", $"--hdr-log：无法写入 {path}：{ex.Message}"));
            }
        }

        LoadReport report;
        try
        {
            report = await LoadRun.RunAsync(settings.Plan, settings.Driver, interval =>
            {
                progress?.Show(interval);
                if (interval.Measured)
                {
                    log?.Append("latency", interval.Start, interval.End, interval.Latency);
                }
            }, ct).ConfigureAwait(false);
        }
        catch (Probes.CheckUsageException ex)
        {
            throw new UsageException(ex.Text);
        }
        finally
        {
            log?.Dispose();
        }

        report = report with { Gates = settings.Gates.Judge(report) };
        await WriteAsync(report, settings.Json, settings.Output).ConfigureAwait(false);
        if (!settings.Json && report.Connections.Opened == 0 && (report.Hold?.Established ?? 0) == 0 && !report.Interrupted)
        {
            await DiagnoseAsync(settings, report, ct).ConfigureAwait(false);
        }

        return ExitCode(report);
    }

    public static async Task WriteAsync(LoadReport report, bool json, string? output)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = BenchJson.Write(report);
        if (output is not null)
        {
            try
            {
                await File.WriteAllTextAsync(output, text + "\n").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync(CliHost.Error(T($"--output: cannot write {output}: {ex.Message}", $"--output：无法写入 {output}：{ex.Message}"), LanguageOption.Current)).ConfigureAwait(false);
            }
        }

        if (json)
        {
            await Console.Out.WriteLineAsync(text).ConfigureAwait(false);
        }
        else
        {
            BenchText.Render(report, Terminal.Stdout(), LanguageOption.Current);
        }

        await Console.Out.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>1 when a gate failed, or with no gate when nothing at all could be measured; 130 after Ctrl-C.</summary>
    public static int ExitCode(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Interrupted)
        {
            return Interrupted;
        }

        if (report.Gates.Count > 0)
        {
            return report.Gates.All(g => g.Passed) ? ExitCodes.Ok : ExitCodes.Failure;
        }

        var nothing = report.Settings.Connections > 0 ? report.Messages.Count == 0 : (report.Hold?.Established ?? 0) == 0;
        return nothing ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static async Task DiagnoseAsync(BenchSettings settings, LoadReport report, CancellationToken ct)
    {
        var check = settings.Plan.Open.Check with { NoFollowUpProbes = false, Deadline = TimeSpan.FromSeconds(30) };
        var diagnosis = await CheckRunner.RunAsync(check, ct).ConfigureAwait(false);
        var first = report.Errors.FirstOrDefault() is { } error ? BenchText.Sample(error) : T("no connection opened", "没有打开任何连接");
        Console.Out.WriteLine();
        DiagnosisText.Render(first, diagnosis, Console.Out, ConsoleFactory.ColourWanted(Console.IsOutputRedirected));
    }
}
