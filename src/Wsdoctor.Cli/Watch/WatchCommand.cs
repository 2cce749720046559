using System.CommandLine;
using System.Diagnostics;
using Wsdoctor.Client.Opening;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Url;
using Wsdoctor.Protocol.Secrets;
using Wsdoctor.Scenarios.Loading;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Engine;
using Wsdoctor.Watch.Output;
using Wsdoctor.Watch.Scenarios;

namespace Wsdoctor.Cli.Watch;

/// <summary><c>wsdoctor watch URL</c>: hold a connection for a long time, reconnect after each drop, name every drop
/// and the pattern they make. <c>wsdoctor watch --scenario FILE</c>: play a scenario file again and again.
/// Exit 0: no drop and no failed open; 1: drops or failures; 130: interrupted (after the summary).</summary>
public static class WatchCommand
{
    private const double MaxForSeconds = 30 * 86400;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        connection.Url.Arity = ArgumentArity.ZeroOrOne;
        var duration = new Option<string?>("--for") { Description = "How long to watch, e.g. 10m or 2h (default: until Ctrl-C)" };
        var pingInterval = new Option<string?>("--ping-interval") { Description = "Send a WebSocket ping this often (default: none, so that idle timeouts show)" };
        var pingTimeout = new Option<string?>("--ping-timeout") { Description = "A ping without its pong this long is a drop (default 5s)" };
        var send = new Option<string?>("--send") { Description = "Application message to send every --every (an application heartbeat)" };
        var every = new Option<string?>("--every") { Description = "With --send: how often to send it; with --scenario: how often to run the file (default 30s)" };
        var maxDelay = new Option<string?>("--reconnect-max-delay") { Description = "Longest wait between reconnect attempts (default 30s; exponential backoff with jitter)" };
        var maxDrops = new Option<int?>("--max-drops") { Description = "Stop after this many drops" };
        var jsonl = new Option<bool>("--jsonl") { Description = "Every event as one JSON object per line on stdout, the summary last" };
        var scenario = new Option<string?>("--scenario") { Description = "Run this scenario file (docs/scenarios.md) every --every instead of holding one connection" };
        var noDiagnose = new Option<bool>("--no-diagnose") { Description = "Do not run check's diagnosis when the endpoint cannot be opened" };
        var command = new Command("watch", "Hold a WebSocket open for a long time; classify every drop and the pattern they make (idle timeout, maximum age, restarts)");
        connection.AddTo(command);
        foreach (var option in new Option[] { duration, pingInterval, pingTimeout, send, every, maxDelay, maxDrops, jsonl, scenario, noDiagnose })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var forValue = result.GetValue(duration) is { } f ? DurationText.Parse(f, "--for", MaxForSeconds) : (TimeSpan?)null;
            var everyValue = result.GetValue(every) is { } e ? DurationText.Parse(e, "--every", 86400) : (TimeSpan?)null;
            var diagnose = result.GetValue(noDiagnose) ? null : (Func<Probes.CheckOptions, CancellationToken, Task<CheckReport>>)((check, token) => CheckRunner.RunAsync(check, token));
            if (result.GetValue(maxDrops) is < 1)
            {
                throw new UsageException("--max-drops must be at least 1");
            }

            if (result.GetValue(scenario) is { } file)
            {
                if (result.GetValue(connection.Url) is not null || result.GetValue(send) is not null || result.GetValue(pingInterval) is not null)
                {
                    throw new UsageException("--scenario takes its target and steps from the file: give no URL, --send or --ping-interval");
                }

                return await RunScenarioAsync(file, everyValue ?? TimeSpan.FromSeconds(30), forValue, result.GetValue(jsonl), result.GetValue(connection.ShowSecrets), diagnose, ct).ConfigureAwait(false);
            }

            var check = connection.Read(result);
            if (string.IsNullOrEmpty(check.Url))
            {
                throw new UsageException("give a ws:// or wss:// URL, or --scenario FILE");
            }

            var (target, findings) = UrlProbe.Analyze(check.Url);
            if (target is null)
            {
                throw new UsageException(findings.FirstOrDefault(x => x.Severity == Findings.Severity.Error)?.Message ?? $"not a ws:// or wss:// URL: {check.Url}");
            }

            if ((result.GetValue(send) is null) != (everyValue is null))
            {
                throw new UsageException("--send and --every go together (--send MSG --every 30s)");
            }

            var interval = result.GetValue(pingInterval) is { } pi ? DurationText.Parse(pi, "--ping-interval") : (TimeSpan?)null;
            if (result.GetValue(pingTimeout) is not null && interval is null)
            {
                throw new UsageException("--ping-timeout needs --ping-interval");
            }

            var options = new WatchOptions
            {
                Open = new OpenOptions { Check = check with { NoFollowUpProbes = true } },
                Duration = forValue,
                PingInterval = interval,
                PingTimeout = result.GetValue(pingTimeout) is { } pt ? DurationText.Parse(pt, "--ping-timeout") : TimeSpan.FromSeconds(5),
                Send = result.GetValue(send),
                SendEvery = everyValue,
                ReconnectMaxDelay = result.GetValue(maxDelay) is { } md ? DurationText.Parse(md, "--reconnect-max-delay") : TimeSpan.FromSeconds(30),
                MaxDrops = result.GetValue(maxDrops),
                Diagnose = diagnose,
            };
            var shown = check.ShowSecrets ? target.Uri.ToString() : SecretRedactor.RedactUrl(target.Uri.ToString());
            return await RunAsync(options, shown, result.GetValue(jsonl), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(WatchOptions options, string target, bool jsonl, CancellationToken ct)
    {
        var terminal = !Console.IsOutputRedirected && !jsonl;
        var view = new WatchView(Console.Out, terminal, jsonl);
        if (!jsonl)
        {
            Console.Out.WriteLine($"watching {target}{(options.Duration is { } d ? $" for {DurationText.Format(d)}" : " until Ctrl-C")}, {(options.PingInterval is { } p ? $"ping every {DurationText.Format(p)}" : "no pings (idle cuts show)")}{(options.Send is not null ? $", --send every {DurationText.Format(options.SendEvery!.Value)}" : "")}");
        }

        using var stopTicks = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var ticks = terminal ? TickAsync(view, clock, stopTicks.Token) : Task.CompletedTask;
        WatchSummary summary;
        try
        {
            summary = await WatchEngine.RunAsync(options, view.Event, ct).ConfigureAwait(false);
        }
        catch (Probes.CheckUsageException ex)
        {
            throw new UsageException(ex.Message);
        }
        finally
        {
            await stopTicks.CancelAsync().ConfigureAwait(false);
            await ticks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            view.Finish();
        }

        if (jsonl)
        {
            await Console.Out.WriteLineAsync(WatchJson.Summary(summary)).ConfigureAwait(false);
        }
        else
        {
            WatchSummaryText.Render(summary, target, Console.Out);
        }

        await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return summary.Interrupted ? 130 : summary.Healthy ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<int> RunScenarioAsync(string path, TimeSpan every, TimeSpan? duration, bool jsonl, bool showSecrets, Func<Probes.CheckOptions, CancellationToken, Task<CheckReport>>? diagnose, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file");
        }

        Scenarios.Model.ScenarioFile file;
        try
        {
            file = ScenarioLoader.Load(path);
        }
        catch (ScenarioFileException ex)
        {
            throw new UsageException(ex.Message);
        }

        var options = new ScenarioWatchOptions { Every = every, Duration = duration, ShowSecrets = showSecrets, Diagnose = diagnose };
        var gate = new Lock();
        var summary = await ScenarioWatch.RunAsync(file, file.Scenarios, options, e =>
        {
            lock (gate)
            {
                Console.Out.WriteLine(jsonl ? ScenarioWatchJson.Run(e) : ScenarioWatchJson.Line(e));
                Console.Out.Flush();
            }
        }, ct).ConfigureAwait(false);
        if (jsonl)
        {
            await Console.Out.WriteLineAsync(ScenarioWatchJson.Summary(summary)).ConfigureAwait(false);
        }
        else
        {
            WatchSummaryText.Render(summary, path, Console.Out);
        }

        return summary.Interrupted ? 130 : summary.Runs > 0 && summary.Passed == summary.Runs ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task TickAsync(WatchView view, Stopwatch clock, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            view.Tick(clock.Elapsed);
        }
    }
}
