using Wsdoctor.Load.Echo;
using System.Diagnostics;
using HdrHistogram;
using Wsdoctor.Load.Latency;
using Wsdoctor.Protocol.Secrets;

namespace Wsdoctor.Load.Runs;

/// <summary>Runs a plan: opens the connections (paced or as fast as allowed), warms up, measures for the duration,
/// closes; a tick about once a second reports the interval just ended. Ctrl-C (the token) or the deadline ends
/// the run early, and the report of what was measured until then says so.</summary>
public static class LoadRun
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StallCheck = TimeSpan.FromMilliseconds(100);

    /// <exception cref="Probes.CheckUsageException">An unreadable --ca/--cert/--key or an unusable proxy URL.</exception>
    public static async Task<LoadReport> RunAsync(LoadPlan plan, IConnectionDriver driver, Action<LoadProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(driver);
        var dialer = new LoadDialer(plan.Open, plan.Heartbeat);
        var startedAt = DateTimeOffset.UtcNow;
        using var run = new RunState(plan, dialer, driver);
        var connections = new VirtualConnection[plan.LocalConnections];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = new VirtualConnection(run, i, plan.Shard.GlobalIndex(i));
        }

        var held = new HeldConnection[plan.LocalHold];
        for (var i = 0; i < held.Length; i++)
        {
            held[i] = new HeldConnection(run);
        }

        var tasks = connections.Select(c => Task.Run(c.RunAsync, CancellationToken.None))
            .Concat(held.Select(h => Task.Run(h.RunAsync, CancellationToken.None)))
            .ToArray();
        var all = Task.WhenAll(tasks);
        var window = new Window(run, connections, startedAt, progress);
        var (interrupted, deadlineExceeded) = await CoordinateAsync(run, connections, window, all, ct).ConfigureAwait(false);

        // Closing: loops end after their exchange and close; held connections send their Close. Bounded by two
        // step timeouts, then whatever is left is aborted (which is not the server's fault, so not counted).
        await run.Stopping.CancelAsync().ConfigureAwait(false);
        if (interrupted || deadlineExceeded)
        {
            await run.Abort.CancelAsync().ConfigureAwait(false);
            foreach (var h in held)
            {
                h.AbortNow();
            }
        }
        else
        {
            await Task.WhenAll(held.Select(h => h.CloseAsync(plan.StepTimeout))).ConfigureAwait(false);
        }

        if (await Task.WhenAny(all, Task.Delay(plan.StepTimeout * 2 + TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false) != all)
        {
            await run.Abort.CancelAsync().ConfigureAwait(false);
            foreach (var h in held)
            {
                h.AbortNow();
            }

            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        }

        window.Cut(LoadPhase.Stopped, measured: false);
        return window.Report(plan, driver, dialer, held, interrupted, deadlineExceeded);
    }

    private static async Task<(bool Interrupted, bool DeadlineExceeded)> CoordinateAsync(
        RunState run, VirtualConnection[] connections, Window window, Task all, CancellationToken ct)
    {
        var plan = run.Plan;
        var deadline = run.Started + (long)(plan.EffectiveDeadline.TotalSeconds * Stopwatch.Frequency);
        var nextTick = run.Started + (long)(Tick.TotalSeconds * Stopwatch.Frequency);
        long phaseStart = run.Started;
        // Bounded by the deadline: every pass waits at most StallCheck, and the deadline ends the loop.
        while (true)
        {
            await Task.WhenAny(all, Task.Delay(StallCheck, CancellationToken.None)).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            foreach (var connection in connections)
            {
                connection.AbortIfStalled(now);
            }

            var phase = run.Phase;
            if (ct.IsCancellationRequested || now >= deadline)
            {
                window.Cut(phase, measured: phase == LoadPhase.Measuring, Boundary.EndMeasuring);
                run.Phase = LoadPhase.Stopped;
                return (ct.IsCancellationRequested, !ct.IsCancellationRequested);
            }

            if (phase == LoadPhase.Connecting && (run.FirstAttemptsDone || all.IsCompleted))
            {
                var measureNow = plan.WarmUp <= TimeSpan.Zero;
                window.Cut(phase, measured: false, measureNow ? Boundary.StartMeasuring : Boundary.None);
                run.Phase = measureNow ? LoadPhase.Measuring : LoadPhase.WarmingUp;
                phaseStart = now;
                continue;
            }

            if (phase == LoadPhase.WarmingUp && Stopwatch.GetElapsedTime(phaseStart, now) >= plan.WarmUp)
            {
                window.Cut(phase, measured: false, Boundary.StartMeasuring);
                run.Phase = LoadPhase.Measuring;
                phaseStart = now;
                continue;
            }

            if (phase == LoadPhase.Measuring && (Stopwatch.GetElapsedTime(phaseStart, now) >= plan.Duration || all.IsCompleted))
            {
                window.Cut(phase, measured: true, Boundary.EndMeasuring);
                run.Phase = LoadPhase.Stopped;
                return (false, false);
            }

            if (phase != LoadPhase.Measuring && all.IsCompleted)
            {
                window.Cut(phase, measured: false);
                run.Phase = LoadPhase.Stopped;
                return (false, false);
            }

            if (now >= nextTick)
            {
                window.Cut(phase, measured: phase == LoadPhase.Measuring);
                nextTick += (long)(Tick.TotalSeconds * Stopwatch.Frequency);
                if (nextTick < now)
                {
                    nextTick = now + (long)(Tick.TotalSeconds * Stopwatch.Frequency);
                }
            }
        }
    }

    private enum Boundary
    {
        None,
        StartMeasuring,
        EndMeasuring,
    }

    /// <summary>The intervals of a run and the measured window's totals: every interval histogram inside the window
    /// is added to the window's, so the report, the live table and the --hdr-log see the same latencies.</summary>
    private sealed class Window(RunState run, VirtualConnection[] connections, DateTimeOffset startedAt, Action<LoadProgress>? progress)
    {
        private readonly LongHistogram latency = Histograms.Create();
        private readonly LongHistogram handshake = Histograms.Create();
        private readonly LongHistogram[] steps = [.. run.Steps.Select(_ => Histograms.Create())];
        private long lastCut = run.Started;
        private long measureStart;
        private long measureEnd;
        private long sentBytesAtStart, receivedBytesAtStart, sendsAtStart;
        private long sentBytesAtEnd, receivedBytesAtEnd, sendsAtEnd;
        private long maxLag;

        private void StartMeasuring(long now)
        {
            measureStart = now;
            (sentBytesAtStart, receivedBytesAtStart, sendsAtStart) = Counters();
            foreach (var c in connections)
            {
                c.ResetMaxLag();
            }
        }

        private void EndMeasuring(long now)
        {
            if (measureStart == 0 || measureEnd != 0)
            {
                return;
            }

            measureEnd = now;
            (sentBytesAtEnd, receivedBytesAtEnd, sendsAtEnd) = Counters();
            maxLag = connections.Length == 0 ? 0 : connections.Max(c => c.MaxLag);
        }

        /// <summary>Ends the interval; at an edge of the window the counters are read right before the histograms
        /// are swapped, so bytes and messages of the window come from the same instant (up to the exchanges in
        /// flight in those few microseconds).</summary>
        public void Cut(LoadPhase phase, bool measured, Boundary boundary = Boundary.None)
        {
            var now = Stopwatch.GetTimestamp();
            if (boundary == Boundary.StartMeasuring)
            {
                StartMeasuring(now);
            }
            else if (boundary == Boundary.EndMeasuring)
            {
                EndMeasuring(now);
            }

            // A fresh histogram per interval (about one a second): the progress consumer may keep it.
            var interval = run.Latency.GetIntervalHistogram();
            handshake.Add(run.Handshake.GetIntervalHistogram());
            for (var i = 0; i < steps.Length; i++)
            {
                var step = run.Steps[i].GetIntervalHistogram();
                if (measured)
                {
                    steps[i].Add(step);
                }
            }

            if (measured)
            {
                latency.Add(interval);
            }

            progress?.Invoke(new LoadProgress
            {
                Phase = phase,
                Elapsed = Stopwatch.GetElapsedTime(run.Started, now),
                Start = startedAt + Stopwatch.GetElapsedTime(run.Started, lastCut),
                End = startedAt + Stopwatch.GetElapsedTime(run.Started, now),
                Measured = measured,
                Latency = interval,
                OpenConnections = run.Open,
                HeldConnections = run.Held,
                Errors = run.Errors.Total,
            });
            lastCut = now;
        }

        public LoadReport Report(LoadPlan plan, IConnectionDriver driver, LoadDialer dialer, HeldConnection[] held, bool interrupted, bool deadlineExceeded)
        {
            var seconds = measureStart == 0 ? 0 : Stopwatch.GetElapsedTime(measureStart, measureEnd == 0 ? Stopwatch.GetTimestamp() : measureEnd).TotalSeconds;
            var exchanges = connections.Sum(c => c.Exchanges);
            var errors = run.Errors.Total;
            var holdEstablished = held.Count(h => h.Established);
            var url = plan.Open.Check.ShowSecrets ? plan.Open.Check.Url : SecretRedactor.RedactUrl(plan.Open.Check.Url);
            OpenLoopTotals? openLoop = null;
            if (plan.LocalRate is { } rate)
            {
                var sent = sendsAtEnd - sendsAtStart;
                openLoop = new OpenLoopTotals
                {
                    RequestedRate = rate,
                    SentRate = seconds > 0 ? sent / seconds : 0,
                    MaxSendLagMs = Stopwatch.GetElapsedTime(0, maxLag).TotalMilliseconds,
                    KeptUp = seconds > 0 && sent >= 0.95 * rate * seconds,
                };
            }

            return new LoadReport
            {
                Settings = new LoadSettings
                {
                    Target = url,
                    Connections = plan.Connections,
                    Rate = plan.Rate,
                    DurationSeconds = plan.Duration.TotalSeconds,
                    WarmUpSeconds = plan.WarmUp.TotalSeconds,
                    RampSeconds = plan.Ramp.TotalSeconds,
                    ConnectRate = plan.ConnectRate,
                    Hold = plan.Hold,
                    HeartbeatSeconds = plan.Hold > 0 ? plan.Heartbeat.TotalSeconds : 0,
                    Churn = plan.Churn,
                    ChurnExchanges = plan.Churn ? plan.ChurnExchanges : 0,
                    Conversation = driver.Description,
                    Compress = plan.Open.Compress,
                    OpenPath = dialer.Path,
                },
                Shard = plan.Shard.IsWhole ? null : plan.Shard.ToString(),
                StartedAt = startedAt,
                MeasuredSeconds = seconds,
                Interrupted = interrupted,
                DeadlineExceeded = deadlineExceeded,
                Messages = new MessageTotals
                {
                    Count = latency.TotalCount,
                    PerSecond = seconds > 0 ? latency.TotalCount / seconds : 0,
                    BytesSent = sentBytesAtEnd - sentBytesAtStart,
                    BytesReceived = receivedBytesAtEnd - receivedBytesAtStart,
                    TotalExchanges = exchanges,
                },
                Latency = LatencyReport.From(latency),
                Handshake = LatencyReport.From(handshake),
                Steps = [.. driver.StepNames.Select((name, i) => new StepReport(name, LatencyReport.From(steps[i])))],
                Connections = new ConnectionTotals
                {
                    Requested = plan.LocalConnections,
                    Opened = run.Handshakes - holdEstablished,
                    PeakOpen = run.PeakOpen,
                    ClosedCleanly = run.ClosedCleanly,
                },
                Hold = plan.LocalHold == 0 ? null : new HoldTotals
                {
                    Requested = plan.LocalHold,
                    Established = holdEstablished,
                    OpenAtEnd = held.Count(h => h.OpenAtEnd),
                    Lost = held.Count(h => h.Lost),
                },
                OpenLoop = openLoop,
                ErrorCount = errors,
                ErrorRate = LoadReport.RateOf(errors, run.Handshakes, exchanges),
                Errors = run.Errors.Snapshot(),
            };
        }

        private (long Sent, long Received, long Sends) Counters()
        {
            long sent = 0, received = 0, sends = 0;
            foreach (var c in connections)
            {
                sent += c.Context.BytesSent;
                received += c.Context.BytesReceived;
                sends += c.Sends;
            }

            return (sent, received, sends);
        }
    }
}
