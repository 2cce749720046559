using System.Diagnostics;
using HdrHistogram;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Runs;

/// <summary>What a conversation sees of the engine during an exchange; one per virtual connection, reused, so
/// nothing is allocated per message. Counters are plain fields written by one task and read by the progress tick
/// (64-bit reads and writes are atomic on the platforms .NET runs on).</summary>
public sealed class ExchangeContext
{
    private readonly Recorder[] steps;
    private long bytesSent;
    private long bytesReceived;
    private long lastProgress = Stopwatch.GetTimestamp();

    internal ExchangeContext(int connectionIndex, Recorder[] steps)
    {
        ConnectionIndex = connectionIndex;
        this.steps = steps;
    }

    /// <summary>The global index of the virtual connection (the same across shards: shard I of N runs I, I+N, ...).</summary>
    public int ConnectionIndex { get; }

    /// <summary>The exchange's number on this virtual connection, from 0, continuing across reconnects.</summary>
    public long Sequence { get; internal set; }

    /// <summary>When the exchange was due (Stopwatch timestamp): its scheduled time in an open loop, its start in a
    /// closed loop. Step latencies should be measured from the previous step's end, the first from this.</summary>
    public long IntendedStart { get; internal set; }

    /// <summary>Set on the engine's own path without a heartbeat: a conversation that sends and receives in turns
    /// may send its data frames through it (see <see cref="Connections.ClientFrameSender"/>).</summary>
    public Connections.ClientFrameSender? Frames { get; internal set; }

    public long BytesSent => Volatile.Read(ref bytesSent);

    public long BytesReceived => Volatile.Read(ref bytesReceived);

    internal long LastProgress => Volatile.Read(ref lastProgress);

    public void Sent(int bytes)
    {
        Volatile.Write(ref bytesSent, bytesSent + bytes);
        Progress();
    }

    public void Received(int bytes)
    {
        Volatile.Write(ref bytesReceived, bytesReceived + bytes);
        Progress();
    }

    /// <summary>Tells the stall detector the exchange is moving; one taking longer than --timeout without progress is aborted.</summary>
    public void Progress() => Volatile.Write(ref lastProgress, Stopwatch.GetTimestamp());

    /// <summary>Records the latency of step <paramref name="step"/> (an index into the driver's StepNames), in Stopwatch ticks.</summary>
    public void RecordStep(int step, long elapsedTicks) =>
        steps[step].RecordValue(Histograms.Clamp((long)Stopwatch.GetElapsedTime(0, elapsedTicks).TotalNanoseconds));
}
