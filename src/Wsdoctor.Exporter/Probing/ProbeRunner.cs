using System.Diagnostics;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Exporter.Metrics;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Scenarios.Loading;
using Wsdoctor.Scenarios.Running;
using Wsdoctor.Watch.Scenarios;

namespace Wsdoctor.Exporter.Probing;

/// <summary>What one probe answered: the Prometheus text, whether it succeeded, and the root cause when it did not.</summary>
public sealed record ProbeOutcome(string Text, bool Success, string? RootCause, TimeSpan Duration);

/// <summary>One probe: a check (or the module's scenario file) against the target with the module's options, bounded
/// by <paramref name="deadline"/>, turned into the probe_* metrics (docs/exporter.md lists them).</summary>
public sealed class ProbeRunner(Func<string, string?> environment)
{
    public async Task<ProbeOutcome> RunAsync(string target, Module module, TimeSpan deadline, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(module);
        var start = Stopwatch.GetTimestamp();
        var (options, error) = Options(target, module, deadline);
        if (options is null)
        {
            return Failed(error!, start);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(deadline);
        try
        {
            return module.Scenario is { } scenario
                ? await ScenarioAsync(scenario, target, options, start, limit.Token).ConfigureAwait(false)
                : await CheckAsync(options, start, limit.Token).ConfigureAwait(false);
        }
        catch (CheckUsageException ex)
        {
            return Failed($"module {module.Name}: {ex.Message}", start);
        }
        catch (ScenarioFileException ex)
        {
            return Failed($"module {module.Name}: {ex.Message}", start);
        }
    }

    private (CheckOptions? Options, string? Error) Options(string target, Module module, TimeSpan deadline)
    {
        string? token = null, cookie = null;
        if (module.Token is { } tokenSource)
        {
            (token, var error) = tokenSource.Read(environment);
            if (error is not null)
            {
                return (null, $"module {module.Name}: token: {error}");
            }
        }

        if (module.Cookie is { } cookieSource)
        {
            (cookie, var error) = cookieSource.Read(environment);
            if (error is not null)
            {
                return (null, $"module {module.Name}: cookie: {error}");
            }
        }

        var options = new CheckOptions
        {
            Url = target,
            Headers = module.Headers,
            Origin = module.Origin,
            Subprotocols = module.Subprotocols,
            Token = token,
            TokenIn = module.TokenIn,
            Cookie = cookie,
            Send = module.Send,
            Expect = module.Expect,
            Insecure = module.Insecure,
            CaFile = module.CaFile,
            CertFile = module.CertFile,
            KeyFile = module.KeyFile,
            Proxy = module.Proxy,
            NoProxy = module.NoProxy,
            NoFollowUpProbes = !module.FollowUpProbes,
            StepTimeout = module.StepTimeout < deadline ? module.StepTimeout : deadline,
            Deadline = deadline,
            Environment = environment,
        };
        return (options, null);
    }

    private static async Task<ProbeOutcome> CheckAsync(CheckOptions options, long start, CancellationToken ct)
    {
        var report = await CheckRunner.RunAsync(options, ct).ConfigureAwait(false);
        var duration = Stopwatch.GetElapsedTime(start);
        var success = report.Verdict != Verdict.Fail;
        var text = new PrometheusText();
        text.Gauge("probe_success", "Whether the probe succeeded (check's verdict was not FAIL)", success ? 1 : 0);
        text.Gauge("probe_duration_seconds", "How long the probe took, in seconds", duration.TotalSeconds);
        ProbeMetrics.Check(report, text);
        return new ProbeOutcome(text.ToString(), success, report.RootCause?.Code, duration);
    }

    private static async Task<ProbeOutcome> ScenarioAsync(string path, string target, CheckOptions check, long start, CancellationToken ct)
    {
        var file = ScenarioLoader.Load(path);
        var results = new List<(string Scenario, ScenarioResult Result, IReadOnlyList<StepTiming> Steps)>();
        foreach (var scenario in file.Scenarios)
        {
            // The probe's target replaces the file's url; the rest of the file's target (token, origin...) stays.
            var aimed = scenario with { Target = scenario.Target with { Url = target } };
            var observer = new StepRecorder();
            var run = await ScenarioRunner.RunAsync(aimed, file, new RunOptions
            {
                Observer = observer,
                Diagnose = (options, token) => CheckRunner.RunAsync(options with { StepTimeout = check.StepTimeout, Deadline = check.Deadline, NoFollowUpProbes = true }, token),
            }, ct).ConfigureAwait(false);
            results.Add((scenario.Name, run, observer.Steps));
            if (ct.IsCancellationRequested)
            {
                break;
            }
        }

        var duration = Stopwatch.GetElapsedTime(start);
        var success = results.Count == file.Scenarios.Count && results.All(r => r.Result.Passed);
        var text = new PrometheusText();
        text.Gauge("probe_success", "Whether the probe succeeded (every scenario of the module's file passed)", success ? 1 : 0);
        text.Gauge("probe_duration_seconds", "How long the probe took, in seconds", duration.TotalSeconds);
        var rootCause = ProbeMetrics.Scenarios(results, text);
        return new ProbeOutcome(text.ToString(), success, rootCause, duration);
    }

    /// <summary>A probe that could not run at all (a module's secret is missing): probe_success 0 and why, as a comment.</summary>
    public static ProbeOutcome Failed(string reason, long start)
    {
        var duration = Stopwatch.GetElapsedTime(start);
        var text = new PrometheusText();
        text.Gauge("probe_success", "Whether the probe succeeded", 0);
        text.Gauge("probe_duration_seconds", "How long the probe took, in seconds", duration.TotalSeconds);
        return new ProbeOutcome($"# probe not run: {reason.Replace('\n', ' ')}\n{text}", false, null, duration);
    }

    private sealed class StepRecorder : IStepObserver
    {
        private readonly List<StepTiming> steps = [];

        public IReadOnlyList<StepTiming> Steps
        {
            get
            {
                lock (steps)
                {
                    return [.. steps];
                }
            }
        }

        public void StepEnded(string label, string kind, TimeSpan duration, bool passed, StepFailure? failure)
        {
            lock (steps)
            {
                steps.Add(new StepTiming(label, kind, duration, passed));
            }
        }
    }
}
