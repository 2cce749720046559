using Wsdoctor.Load.Echo;
using HdrHistogram;

namespace Wsdoctor.Load.Runs;

/// <summary>One interval of a run (about a second; shorter at the phase changes, so that an interval never
/// straddles the edge of the measured window): for the live table and the --hdr-log.</summary>
public sealed record LoadProgress
{
    public required LoadPhase Phase { get; init; }

    /// <summary>Since the run started, at the interval's end.</summary>
    public required TimeSpan Elapsed { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>Inside the measured window: counted in the report (and written to the --hdr-log).</summary>
    public required bool Measured { get; init; }

    /// <summary>Latencies of the exchanges completed in the interval, nanoseconds.</summary>
    public required HistogramBase Latency { get; init; }

    public required int OpenConnections { get; init; }

    public required int HeldConnections { get; init; }

    public required long Errors { get; init; }

    public double MessagesPerSecond => End > Start ? Latency.TotalCount / (End - Start).TotalSeconds : 0;
}
