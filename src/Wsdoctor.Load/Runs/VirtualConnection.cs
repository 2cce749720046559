using System.Diagnostics;
using System.Net.WebSockets;
using Wsdoctor.Findings;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Runs;

/// <summary>One virtual connection: open (paced), run exchanges through the driver's conversation (closed loop,
/// or on its own schedule in an open loop), close; reopen after an error (with backoff) or, with --churn, after
/// every few exchanges. Bounded by count (exchanges, reconnects) and by the run's stop and abort tokens.</summary>
internal sealed class VirtualConnection
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly RunState run;
    private readonly IConversation conversation;
    private readonly long interval;
    private readonly long offset;
    private CancellationTokenSource? exchange;
    private LoadError? stalled;
    private long exchanges;
    private long sends;
    private long maxLag;
    private int inExchange;

    public VirtualConnection(RunState run, int localIndex, int globalIndex)
    {
        this.run = run;
        Context = new ExchangeContext(globalIndex, run.Steps);
        conversation = run.Driver.Start(globalIndex);
        if (run.Plan.LocalRate is { } rate && run.Plan.LocalConnections > 0)
        {
            // Each connection keeps rate/c, the connections' schedules spread evenly across one period.
            interval = (long)(Stopwatch.Frequency * run.Plan.LocalConnections / rate);
            offset = (long)(Stopwatch.Frequency * localIndex / rate);
        }
    }

    public ExchangeContext Context { get; }

    public long Exchanges => Volatile.Read(ref exchanges);

    public long Sends => Volatile.Read(ref sends);

    /// <summary>Largest send lag behind schedule since the last reset, Stopwatch ticks.</summary>
    public long MaxLag => Volatile.Read(ref maxLag);

    public void ResetMaxLag() => Volatile.Write(ref maxLag, 0);

    private bool OpenLoop => interval > 0;

    /// <summary>Called by the coordinator several times a second: an exchange without progress for the step
    /// timeout is aborted and counted (the reply never came).</summary>
    public void AbortIfStalled(long now)
    {
        if (Volatile.Read(ref inExchange) == 1 && Stopwatch.GetElapsedTime(Context.LastProgress, now) > run.Plan.StepTimeout
            && Volatile.Read(ref exchange) is { } cts && !cts.IsCancellationRequested)
        {
            stalled = new LoadError(Codes.SessionEchoMismatch, "timeout", ErrorStage.Message,
                $"no reply to message #{Context.Sequence} within {run.Plan.StepTimeout.TotalSeconds:0.#} s");
            cts.Cancel();
        }
    }

    public async Task RunAsync()
    {
        var stop = run.Stopping.Token;
        var first = true;
        var backoff = TimeSpan.Zero;
        long anchor = 0;
        try
        {
            for (var attempt = 0; attempt <= run.Plan.MaxReconnectsPerConnection && !stop.IsCancellationRequested; attempt++)
            {
                if (backoff > TimeSpan.Zero)
                {
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                }

                var due = await run.Pacer.WaitTurnAsync(stop).ConfigureAwait(false);
                LoadSocket? socket;
                LoadError? error;
                try
                {
                    (socket, error) = await run.Dialer.OpenAsync(hold: false, run.Abort.Token).ConfigureAwait(false);
                }
                finally
                {
                    run.Pacer.Done();
                }

                if (first)
                {
                    first = false;
                    run.FirstAttemptDone();
                }

                if (socket is null)
                {
                    run.Errors.Add(error!);
                    backoff = Next(backoff);
                    continue;
                }

                run.Opened(due, hold: false);
                if (OpenLoop && anchor == 0)
                {
                    anchor = Stopwatch.GetTimestamp() + offset;
                }

                Context.Frames = socket.Frames;
                var failed = await ConverseAsync(socket, anchor).ConfigureAwait(false);
                backoff = failed ? Next(backoff) : TimeSpan.Zero;
                if (Context.Sequence >= run.Plan.MaxExchangesPerConnection)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || run.Abort.IsCancellationRequested)
        {
            // The run is over.
        }
        finally
        {
            if (first)
            {
                run.FirstAttemptDone();
            }
        }
    }

    /// <summary>Exchanges on one open connection; true when it ended with an error.</summary>
    private async Task<bool> ConverseAsync(LoadSocket socket, long anchor)
    {
        var stop = run.Stopping.Token;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(run.Abort.Token);
        Volatile.Write(ref exchange, cts);
        stalled = null;
        var cleanly = false;
        var failed = true;
        try
        {
            var perConnection = run.Plan.Churn ? run.Plan.ChurnExchanges : long.MaxValue;
            for (long n = 0; n < perConnection && !stop.IsCancellationRequested && Context.Sequence < run.Plan.MaxExchangesPerConnection; n++)
            {
                var intended = OpenLoop ? anchor + Context.Sequence * interval : Stopwatch.GetTimestamp();
                if (OpenLoop)
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
                    // Timers tick in milliseconds: closer than that, send now (early by less than a tick).
                    if (wait > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait, stop).ConfigureAwait(false);
                    }

                    var lag = Stopwatch.GetTimestamp() - intended;
                    if (lag > Volatile.Read(ref maxLag))
                    {
                        Volatile.Write(ref maxLag, lag);
                    }
                }

                Context.IntendedStart = intended;
                Volatile.Write(ref sends, sends + 1);
                Volatile.Write(ref inExchange, 1);
                var error = await conversation.ExchangeAsync(socket.Socket, Context, cts.Token).ConfigureAwait(false);
                Volatile.Write(ref inExchange, 0);
                Context.Sequence++;
                if (error is not null)
                {
                    run.Errors.Add(error);
                    return true;
                }

                run.Latency.RecordValue(Histograms.Clamp((long)Stopwatch.GetElapsedTime(intended).TotalNanoseconds));
                Volatile.Write(ref exchanges, exchanges + 1);
            }

            failed = false;
            cleanly = await CloseAsync(socket.Socket, cts).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested || stop.IsCancellationRequested)
        {
            if (stalled is { } timeout)
            {
                run.Errors.Add(timeout);
                return true;
            }

            // Stopped while waiting for the next scheduled send (close normally), or aborted by the run (not the server's fault).
            if (!cts.IsCancellationRequested)
            {
                failed = false;
                cleanly = await CloseAsync(socket.Socket, cts).ConfigureAwait(false);
            }

            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            if (!run.Abort.IsCancellationRequested)
            {
                run.Errors.Add(ErrorClassifier.FromSessionException(ex, ErrorStage.Message));
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref inExchange, 0);
            Volatile.Write(ref exchange, null);
            run.Closed(hold: false, cleanly && !failed);
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The closing handshake, bounded by the step timeout; a server that does not answer it is an error.</summary>
    private async Task<bool> CloseAsync(WebSocket socket, CancellationTokenSource cts)
    {
        cts.CancelAfter(run.Plan.StepTimeout);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bench finished", cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!run.Abort.IsCancellationRequested)
        {
            run.Errors.Add(new LoadError(Codes.SessionAbnormalClose, "close-unanswered", ErrorStage.Close, $"the server did not answer the Close frame within {run.Plan.StepTimeout.TotalSeconds:0.#} s"));
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            if (!run.Abort.IsCancellationRequested)
            {
                run.Errors.Add(ErrorClassifier.FromSessionException(ex, ErrorStage.Close));
            }

            return false;
        }
    }

    private static TimeSpan Next(TimeSpan backoff) =>
        backoff == TimeSpan.Zero ? MinBackoff : backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
}
