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
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Watch;

/// <summary><c>wsdoctor watch URL</c>: hold a connection for a long time, reconnect after each drop, name every drop
/// and the pattern they make. <c>wsdoctor watch --scenario FILE</c>: play a scenario file again and again.
/// Exit 0: no drop and no failed open; 1: drops or failures; 130 after SIGINT, 143 after SIGTERM (the summary first).</summary>
public static class WatchCommand
{
    private const double MaxForSeconds = 30 * 86400;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        connection.Url.Arity = ArgumentArity.ZeroOrOne;
        var duration = new Option<string?>("--for") { Description = H("How long to watch, e.g. 10m or 2h (default: until Ctrl-C)", "观察多久，例如 10m 或 2h（默认：直到 Ctrl-C）") };
        var pingInterval = new Option<string?>("--ping-interval") { Description = H("Send a WebSocket ping this often (default: none, so that idle timeouts show)", "按这个间隔发送 WebSocket ping（默认不发，好让空闲超时暴露出来）") };
        var pingTimeout = new Option<string?>("--ping-timeout") { Description = H("A ping without its pong this long is a drop (default 5s)", "ping 超过这么久没有 pong 即算断线（默认 5s）") };
        var send = new Option<string?>("--send") { Description = H("Application message to send every --every (an application heartbeat)", "每隔 --every 发送的应用消息（应用层心跳）") };
        var every = new Option<string?>("--every") { Description = H("With --send: how often to send it; with --scenario: how often to run the file (default 30s)", "配合 --send：发送间隔；配合 --scenario：运行场景文件的间隔（默认 30s）") };
        var maxDelay = new Option<string?>("--reconnect-max-delay") { Description = H("Longest wait between reconnect attempts (default 30s; exponential backoff with jitter)", "两次重连之间的最长等待（默认 30s；带抖动的指数退避）") };
        var maxDrops = new Option<int?>("--max-drops") { Description = H("Stop after this many drops", "断线这么多次后停止") };
        var jsonl = new Option<bool>("--jsonl") { Description = H("Every event as one JSON object per line on stdout, the summary last", "每个事件在 stdout 上输出为一行 JSON 对象，最后是汇总") };
        var scenario = new Option<string?>("--scenario") { Description = H("Run this scenario file (docs/scenarios.md) every --every instead of holding one connection", "每隔 --every 运行一次这个场景文件（docs/scenarios.md），而不是保持一个连接") };
        var noDiagnose = new Option<bool>("--no-diagnose") { Description = H("Do not run check's diagnosis when the endpoint cannot be opened", "端点打不开时不运行 check 的诊断") };
        var command = new Command("watch", H("Hold a WebSocket open for a long time; classify every drop and the pattern they make (idle timeout, maximum age, restarts)", "长时间保持一个 WebSocket 连接；对每次断线及其规律分类（空闲超时、最长存活时间、重启）"));
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
                throw new UsageException(T("--max-drops must be at least 1", "--max-drops 至少为 1"));
            }

            if (result.GetValue(scenario) is { } file)
            {
                if (result.GetValue(connection.Url) is not null || result.GetValue(send) is not null || result.GetValue(pingInterval) is not null)
                {
                    throw new UsageException(T("--scenario takes its target and steps from the file: give no URL, --send or --ping-interval", "--scenario 的目标和步骤都取自场景文件：不要再给出 URL、--send 或 --ping-interval"));
                }

                return await RunScenarioAsync(file, everyValue ?? TimeSpan.FromSeconds(30), forValue, result.GetValue(jsonl), result.GetValue(connection.ShowSecrets), diagnose, ct).ConfigureAwait(false);
            }

            var check = connection.Read(result);
            if (string.IsNullOrEmpty(check.Url))
            {
                throw new UsageException(T("give a ws:// or wss:// URL, or --scenario FILE", "请给出一个 ws:// 或 wss:// URL，或者 --scenario FILE"));
            }

            var (target, findings) = UrlProbe.Analyze(check.Url);
            if (target is null)
            {
                throw new UsageException(findings.FirstOrDefault(x => x.Severity == Findings.Severity.Error)?.Message ?? T($"not a ws:// or wss:// URL: {check.Url}", $"不是 ws:// 或 wss:// URL：{check.Url}"));
            }

            if ((result.GetValue(send) is null) != (everyValue is null))
            {
                throw new UsageException(T("--send and --every go together (--send MSG --every 30s)", "--send 和 --every 必须一起使用（--send MSG --every 30s）"));
            }

            var interval = result.GetValue(pingInterval) is { } pi ? DurationText.Parse(pi, "--ping-interval") : (TimeSpan?)null;
            if (result.GetValue(pingTimeout) is not null && interval is null)
            {
                throw new UsageException(T("--ping-timeout needs --ping-interval", "--ping-timeout 需要配合 --ping-interval 使用"));
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
            Console.Out.WriteLine(StartLine(options, target).In(LanguageOption.Current));
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
            throw new UsageException(ex.Text);
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
        // Interrupted: the summary is out; CliHost says so and exits 130 (SIGINT) or 143 (SIGTERM).
        ct.ThrowIfCancellationRequested();
        return summary.Healthy ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<int> RunScenarioAsync(string path, TimeSpan every, TimeSpan? duration, bool jsonl, bool showSecrets, Func<Probes.CheckOptions, CancellationToken, Task<CheckReport>>? diagnose, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new UsageException(T($"{path}: no such file", $"{path}：文件不存在"));
        }

        Scenarios.Model.ScenarioFile file;
        try
        {
            file = ScenarioLoader.Load(path);
        }
        catch (ScenarioFileException ex)
        {
            throw new UsageException(ex.Text);
        }

        var options = new ScenarioWatchOptions { Every = every, Duration = duration, ShowSecrets = showSecrets, Diagnose = diagnose };
        var gate = new Lock();
        var summary = await ScenarioWatch.RunAsync(file, file.Scenarios, options, e =>
        {
            lock (gate)
            {
                Console.Out.WriteLine(jsonl ? ScenarioWatchJson.Run(e) : ScenarioWatchJson.Line(e, LanguageOption.Current));
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

        await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return summary.Runs > 0 && summary.Passed == summary.Runs ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>The line watch starts with: what it watches, how long, and what it sends.</summary>
    internal static Findings.Text StartLine(WatchOptions options, string target)
    {
        var howLong = options.Duration is { } d
            ? T($" for {DurationText.Format(d)}", $"，持续 {DurationText.Format(d)}")
            : T(" until Ctrl-C", "，直到按下 Ctrl-C");
        var pings = options.PingInterval is { } p
            ? T($"ping every {DurationText.Format(p)}", $"每 {DurationText.Format(p)} 发送一次 ping")
            : T("no pings (idle cuts show)", "不发送 ping（好让空闲断开暴露出来）");
        var sends = options.Send is not null
            ? T($", --send every {DurationText.Format(options.SendEvery!.Value)}", $"，每 {DurationText.Format(options.SendEvery!.Value)} 执行一次 --send")
            : Empty;
        return T($"watching {target}{howLong}, {pings}{sends}", $"正在观察 {target}{howLong}，{pings}{sends}");
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
