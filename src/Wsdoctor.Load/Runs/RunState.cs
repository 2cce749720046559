using Wsdoctor.Load.Echo;
using System.Diagnostics;
using HdrHistogram;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Runs;

/// <summary>What every connection of a run shares: the phase, the recorders, the error tally, the counters that
/// are touched once per connection (never per message), and the two ways a run stops.</summary>
internal sealed class RunState : IDisposable
{
    private int phase = (int)LoadPhase.Connecting;
    private int open;
    private int peakOpen;
    private int held;
    private long handshakes;
    private long closedCleanly;
    private int pendingFirstAttempts;

    public RunState(LoadPlan plan, LoadDialer dialer, IConnectionDriver driver)
    {
        Plan = plan;
        Dialer = dialer;
        Driver = driver;
        Steps = [.. driver.StepNames.Select(_ => Histograms.CreateRecorder())];
        Started = Stopwatch.GetTimestamp();
        Pacer = new ConnectPacer(plan.LocalConnectRate, plan.ConnectConcurrency, Started);
        pendingFirstAttempts = plan.LocalConnections + plan.LocalHold;
    }

    public LoadPlan Plan { get; }

    public LoadDialer Dialer { get; }

    public IConnectionDriver Driver { get; }

    public long Started { get; }

    public ConnectPacer Pacer { get; }

    public Recorder Latency { get; } = Histograms.CreateRecorder();

    public Recorder Handshake { get; } = Histograms.CreateRecorder();

    public Recorder[] Steps { get; }

    public ErrorTally Errors { get; } = new();

    /// <summary>Cancelled when the run stops taking new work: loops end after their exchange, waits end.</summary>
    public CancellationTokenSource Stopping { get; } = new();

    /// <summary>Cancelled when the run must end now (Ctrl-C, the deadline, the closing grace spent): exchanges
    /// in flight are aborted, and that is not counted as the server's error.</summary>
    public CancellationTokenSource Abort { get; } = new();

    public LoadPhase Phase
    {
        get => (LoadPhase)Volatile.Read(ref phase);
        set => Volatile.Write(ref phase, (int)value);
    }

    public int Open => Volatile.Read(ref open);

    public int PeakOpen => Volatile.Read(ref peakOpen);

    public int Held => Volatile.Read(ref held);

    public long Handshakes => Interlocked.Read(ref handshakes);

    public long ClosedCleanly => Interlocked.Read(ref closedCleanly);

    public bool FirstAttemptsDone => Volatile.Read(ref pendingFirstAttempts) <= 0;

    public void FirstAttemptDone() => Interlocked.Decrement(ref pendingFirstAttempts);

    /// <summary>Records a successful handshake that was due at <paramref name="due"/>.</summary>
    public void Opened(long due, bool hold)
    {
        Handshake.RecordValue(Histograms.Clamp((long)Stopwatch.GetElapsedTime(due).TotalNanoseconds));
        Interlocked.Increment(ref handshakes);
        var now = Interlocked.Increment(ref open);
        if (hold)
        {
            Interlocked.Increment(ref held);
        }

        // Peak: retry until the stored peak is at least this count.
        for (var peak = Volatile.Read(ref peakOpen); now > peak; peak = Volatile.Read(ref peakOpen))
        {
            if (Interlocked.CompareExchange(ref peakOpen, now, peak) == peak)
            {
                break;
            }
        }
    }

    public void Closed(bool hold, bool cleanly)
    {
        Interlocked.Decrement(ref open);
        if (hold)
        {
            Interlocked.Decrement(ref held);
        }

        if (cleanly)
        {
            Interlocked.Increment(ref closedCleanly);
        }
    }

    public void Dispose()
    {
        Pacer.Dispose();
        Stopping.Dispose();
        Abort.Dispose();
    }
}
