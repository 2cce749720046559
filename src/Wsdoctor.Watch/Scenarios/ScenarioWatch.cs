using System.Collections.Concurrent;
using System.Diagnostics;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Scenarios.Model;
using Wsdoctor.Scenarios.Running;
using Wsdoctor.Watch.Analysis;

namespace Wsdoctor.Watch.Scenarios;

public sealed record ScenarioWatchOptions
{
    /// <summary>--every: a run starts this often (a run longer than that starts the next one at once).</summary>
    public TimeSpan Every { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan? Duration { get; init; }

    public bool ShowSecrets { get; init; }

    /// <summary>check's diagnosis of a transport failure (refused, 403, a drop); null: the step's own words only.</summary>
    public Func<CheckOptions, CancellationToken, Task<CheckReport>>? Diagnose { get; init; }
}

/// <summary>One step of one run, as the scenario runner's observer saw it end.</summary>
public sealed record StepTiming(string Label, string Kind, TimeSpan Duration, bool Passed);

/// <summary>One run of one scenario: the code names a failure (the diagnosis' root cause for a transport failure,
/// else the step's kind of failure in the catalogue's terms).</summary>
public sealed record ScenarioRunEvent(
    DateTimeOffset At, TimeSpan Elapsed, int Run, string Scenario, bool Passed, TimeSpan Duration,
    IReadOnlyList<StepTiming> Steps, string? FailedStep, string? Code, Text? Message);

public sealed record ScenarioWatchSummary(
    TimeSpan Duration, int Runs, int Passed, IReadOnlyDictionary<string, Spread> StepMs,
    IReadOnlyList<(Text Cause, int Count)> Failures, bool Interrupted)
{
    public double AvailabilityPercent => Runs == 0 ? 0 : 100.0 * Passed / Runs;

    /// <summary>Stretches of consecutive failed runs, oldest first.</summary>
    public IReadOnlyList<Outage> Outages { get; init; } = [];

    /// <summary>What the failures have in common, with evidence and fix; empty when every run passed.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>watch --scenario FILE: the scenarios of the file, played again every --every until --for elapses or
/// Ctrl-C, each run's steps timed through <see cref="IStepObserver"/>; failures counted by step and cause.</summary>
public static class ScenarioWatch
{
    public static async Task<ScenarioWatchSummary> RunAsync(ScenarioFile file, IReadOnlyList<Scenario> scenarios, ScenarioWatchOptions options, Action<ScenarioRunEvent> sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        var start = Stopwatch.GetTimestamp();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Duration is { } duration)
        {
            end.CancelAfter(duration);
        }

        var steps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var failures = new Dictionary<string, (Text Cause, int Count)>(StringComparer.Ordinal);
        var runs = 0;
        var passed = 0;
        var outcomes = new List<RunOutcome>();
        while (!end.IsCancellationRequested)
        {
            var tick = Stopwatch.GetTimestamp();
            foreach (var scenario in scenarios)
            {
                var observer = new Recorder();
                ScenarioResult run;
                try
                {
                    run = await ScenarioRunner.RunAsync(scenario, file, new RunOptions { ShowSecrets = options.ShowSecrets, Observer = observer, Diagnose = options.Diagnose }, end.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (end.IsCancellationRequested)
                {
                    // A signal or --for in the middle of a run (its diagnosis, say): that run does not count.
                    break;
                }

                if (run.Failure?.Kind == FailureKind.Cancelled)
                {
                    break;
                }

                runs++;
                passed += run.Passed ? 1 : 0;
                foreach (var step in observer.Steps)
                {
                    var key = $"{scenario.Name}: {step.Label}";
                    if (!steps.TryGetValue(key, out var list))
                    {
                        steps[key] = list = [];
                    }

                    if (list.Count < 100_000)
                    {
                        list.Add(step.Duration.TotalMilliseconds);
                    }
                }

                var code = run.Passed ? null : CodeOf(run);
                if (code is not null)
                {
                    var label = run.FailedStep?.Label;
                    var cause = Text.T($"{code} at \"{label}\"", $"{code}（步骤 \"{label}\"）");
                    failures[cause.En] = (cause, failures.GetValueOrDefault(cause.En).Count + 1);
                }

                if (outcomes.Count < 100_000)
                {
                    outcomes.Add(new RunOutcome(Stopwatch.GetElapsedTime(start), run.Passed, code, run.FailedStep?.Label, run.Failure?.Message, run.Diagnosis?.RootCause));
                }

                sink(new ScenarioRunEvent(DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(start), runs, scenario.Name, run.Passed, run.Duration,
                    [.. observer.Steps], run.FailedStep?.Label, code, run.Failure?.Message));
            }

            var wait = options.Every - Stopwatch.GetElapsedTime(tick);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, end.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        return new ScenarioWatchSummary(Stopwatch.GetElapsedTime(start), runs, passed,
            steps.ToDictionary(kv => kv.Key, kv => Spread.Of(kv.Value), StringComparer.Ordinal),
            [.. failures.Values.OrderByDescending(f => f.Count)], ct.IsCancellationRequested)
        {
            Outages = ScenarioPattern.Outages(outcomes),
            Findings = ScenarioPattern.Analyze(outcomes),
        };
    }

    /// <summary>The root cause of a transport failure, else the step's failure in the catalogue's terms.</summary>
    public static string CodeOf(ScenarioResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Diagnosis?.RootCause is { } root)
        {
            return root.Code;
        }

        return run.Failure?.Kind switch
        {
            FailureKind.ClosedByServer => Codes.SessionClosedByServer,
            FailureKind.Dropped => Codes.SessionAbnormalClose,
            FailureKind.OpenFailed when run.Failure.HttpStatus is { } status => Load.Errors.ErrorClassifier.ForStatus(status, null, "").Code,
            FailureKind.OpenFailed when run.Failure.Message.Contains("ConnectionRefused", StringComparison.Ordinal) => Codes.TcpRefused,
            FailureKind.OpenFailed => Codes.HttpNoResponse,
            _ => Codes.SessionEchoMismatch,
        };
    }

    private sealed class Recorder : IStepObserver
    {
        private readonly ConcurrentQueue<StepTiming> steps = new();

        public IEnumerable<StepTiming> Steps => steps;

        public void StepEnded(string label, string kind, TimeSpan duration, bool passed, StepFailure? failure) =>
            steps.Enqueue(new StepTiming(label, kind, duration, passed));
    }
}
