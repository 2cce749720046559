using System.Diagnostics;
using Wsdoctor.Load.Connections;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Echo;

/// <summary>Runs a closed-loop echo load: open the connections, warm up, measure, close.</summary>
public static class EchoLoad
{
    // How often the coordinator looks at the clock and at stalled connections.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    public static async Task<EchoLoadResult> RunAsync(LoadTarget target, EchoLoadOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Deadline);
        var errors = new LoadErrors();
        var clock = new RunClock();

        var connections = new List<EchoConnection>(options.Connections);
        if (target.IsRawTcp)
        {
            var sockets = await ConnectionOpener.OpenAsync(
                options.Connections, options.ConnectConcurrency, token => TcpDialer.ConnectAsync(target, options.ConnectTimeout, token), errors, deadline.Token).ConfigureAwait(false);
            for (var i = 0; i < sockets.Length; i++)
            {
                if (sockets[i] is { } socket)
                {
                    connections.Add(new EchoConnection(socket, i, options.MessageBytes));
                }
            }
        }
        else
        {
            var sockets = await ConnectionOpener.OpenAsync(
                target, options.Connections, options.ConnectConcurrency, options.ConnectTimeout, errors, deadline.Token).ConfigureAwait(false);
            for (var i = 0; i < sockets.Length; i++)
            {
                if (sockets[i] is { } socket)
                {
                    connections.Add(new EchoConnection(socket, i, options.MessageBytes));
                }
            }
        }

        try
        {
            clock.Phase = LoadPhase.WarmingUp;
            options.PhaseChanged?.Invoke(LoadPhase.WarmingUp);
            var runs = new Task[connections.Count];
            for (var i = 0; i < runs.Length; i++)
            {
                var connection = connections[i];
                runs[i] = Task.Run(() => connection.RunAsync(clock, options.MaxMessagesPerConnection, errors), CancellationToken.None);
            }

            var (measuredTicks, deadlineExceeded) = await CoordinateAsync(clock, connections, Task.WhenAll(runs), options, deadline.Token).ConfigureAwait(false);

            var latency = Histograms.Create();
            long messages = 0, verified = 0;
            foreach (var connection in connections)
            {
                latency.Add(connection.Latency);
                messages += connection.MeasuredMessages;
                verified += connection.VerifiedEchoes;
            }

            return new EchoLoadResult
            {
                Connections = options.Connections,
                ConnectionsOpened = connections.Count,
                MessageBytes = options.MessageBytes,
                MeasuredSeconds = Stopwatch.GetElapsedTime(0, measuredTicks).TotalSeconds,
                Messages = messages,
                VerifiedEchoes = verified,
                LatencyMicroseconds = LatencySummary.FromNanoseconds(latency),
                Errors = errors.Count,
                ErrorSamples = errors.Samples,
                DeadlineExceeded = deadlineExceeded,
            };
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Moves the phases on time and aborts stalled connections until every connection has finished.
    /// Returns the measured window's length in Stopwatch ticks.</summary>
    private static async Task<(long MeasuredTicks, bool DeadlineExceeded)> CoordinateAsync(
        RunClock clock, List<EchoConnection> connections, Task allDone, EchoLoadOptions options, CancellationToken deadline)
    {
        var started = Stopwatch.GetTimestamp();
        long measureStart = 0, measureEnd = 0;
        var deadlineExceeded = false;
        // Bounded by the deadline token: once it fires every connection is aborted, and they end promptly.
        while (!allDone.IsCompleted)
        {
            var now = Stopwatch.GetTimestamp();
            var untilNext = clock.Phase switch
            {
                LoadPhase.WarmingUp => options.WarmUp - Stopwatch.GetElapsedTime(started, now),
                LoadPhase.Measuring => options.Duration - Stopwatch.GetElapsedTime(measureStart, now),
                _ => Tick,
            };
            if (untilNext <= TimeSpan.Zero)
            {
                if (clock.Phase == LoadPhase.WarmingUp)
                {
                    options.PhaseChanged?.Invoke(LoadPhase.Measuring);
                    measureStart = Stopwatch.GetTimestamp();
                    clock.Phase = LoadPhase.Measuring;
                }
                else
                {
                    clock.Phase = LoadPhase.Stopped;
                    measureEnd = Stopwatch.GetTimestamp();
                    options.PhaseChanged?.Invoke(LoadPhase.Stopped);
                }

                continue;
            }

            if (deadline.IsCancellationRequested && !deadlineExceeded)
            {
                deadlineExceeded = true;
                foreach (var connection in connections)
                {
                    connection.Abort("run deadline exceeded");
                }
            }

            await Task.WhenAny(allDone, Task.Delay(untilNext < Tick ? untilNext : Tick, CancellationToken.None)).ConfigureAwait(false);
            now = Stopwatch.GetTimestamp();
            foreach (var connection in connections)
            {
                connection.AbortIfStalled(now, options.StepTimeout, $"no progress for {options.StepTimeout.TotalSeconds:0.#} s (send or echo stalled)");
            }
        }

        // Every connection failed before the window closed: the window ends when the last one did.
        if (measureStart != 0 && measureEnd == 0)
        {
            measureEnd = Stopwatch.GetTimestamp();
            clock.Phase = LoadPhase.Stopped;
            options.PhaseChanged?.Invoke(LoadPhase.Stopped);
        }

        return (measureStart == 0 ? 0 : measureEnd - measureStart, deadlineExceeded);
    }
}
