using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Runs;

/// <summary>A latency distribution as the report carries it: the percentiles for people, and the histogram itself
/// (HdrHistogram's compressed base64) so that shard reports can be merged exactly.</summary>
public sealed record LatencyReport(LatencySummary Microseconds, string Histogram)
{
    public static LatencyReport From(HdrHistogram.HistogramBase histogram) =>
        new(LatencySummary.FromNanoseconds(histogram), Histograms.Encode(histogram));
}

public sealed record StepReport(string Name, LatencyReport Latency);

/// <summary>What the run was told, as the report shows it (the URL with its secrets redacted).</summary>
public sealed record LoadSettings
{
    public required string Target { get; init; }
    public required int Connections { get; init; }
    public double? Rate { get; init; }
    public required double DurationSeconds { get; init; }
    public required double WarmUpSeconds { get; init; }
    public double RampSeconds { get; init; }
    public double? ConnectRate { get; init; }
    public int Hold { get; init; }
    public double HeartbeatSeconds { get; init; }
    public bool Churn { get; init; }
    public int ChurnExchanges { get; init; }
    public required string Conversation { get; init; }
    public bool Compress { get; init; }

    /// <summary>"raw" (the engine's own handshake, plain ws:// without options) or "opener" (connect's).</summary>
    public required string OpenPath { get; init; }
}

public sealed record MessageTotals
{
    /// <summary>Exchanges completed inside the measured window (each is one latency in <see cref="LoadReport.Latency"/>).</summary>
    public required long Count { get; init; }
    public required double PerSecond { get; init; }

    /// <summary>Bytes of message payload sent and received inside the measured window.</summary>
    public required long BytesSent { get; init; }
    public required long BytesReceived { get; init; }

    /// <summary>Exchanges completed over the whole run, warm-up and ramp included.</summary>
    public required long TotalExchanges { get; init; }
}

public sealed record ConnectionTotals
{
    /// <summary>Virtual connections of this report (after sharding).</summary>
    public required int Requested { get; init; }

    /// <summary>Successful handshakes of the virtual connections over the whole run (reconnects and churn included;
    /// held connections are counted under hold).</summary>
    public required long Opened { get; init; }

    /// <summary>The most connections open at once (virtual and held).</summary>
    public required int PeakOpen { get; init; }

    /// <summary>Close handshakes completed (the server answered our Close).</summary>
    public required long ClosedCleanly { get; init; }
}

public sealed record HoldTotals
{
    public required int Requested { get; init; }
    public required int Established { get; init; }

    /// <summary>Held and still open when the run ended.</summary>
    public required int OpenAtEnd { get; init; }

    /// <summary>Closed or dropped by the server (or its path) while held.</summary>
    public required int Lost { get; init; }
}

/// <summary>Open loop (--rate): was the target (and this generator) able to take the requested rate?</summary>
public sealed record OpenLoopTotals
{
    public required double RequestedRate { get; init; }

    /// <summary>Messages started per second inside the measured window.</summary>
    public required double SentRate { get; init; }

    /// <summary>The largest delay of a send behind its schedule inside the window: the backlog behind a slow reply.</summary>
    public required double MaxSendLagMs { get; init; }

    /// <summary>At least 95 % of the scheduled messages were sent inside the window.</summary>
    public required bool KeptUp { get; init; }
}

/// <summary>One SLO gate (--max-error-rate, --p99-max) and how the run did against it.</summary>
public sealed record GateResult(string Gate, double Limit, double? Actual, bool Passed, string Reason);

/// <summary>The report of a run (or of merged shards). Everything a reader needs, and everything merge needs.</summary>
public sealed record LoadReport
{
    public int SchemaVersion { get; init; } = 1;
    public string Tool { get; init; } = "wsdoctor bench";
    public required LoadSettings Settings { get; init; }

    /// <summary>This report's shard ("I/N"), or null for a whole run or a merge.</summary>
    public string? Shard { get; init; }

    /// <summary>For a merge: the shards merged, in order.</summary>
    public IReadOnlyList<string> MergedShards { get; init; } = [];

    public required DateTimeOffset StartedAt { get; init; }
    public required double MeasuredSeconds { get; init; }
    public required bool Interrupted { get; init; }
    public required bool DeadlineExceeded { get; init; }
    public required MessageTotals Messages { get; init; }

    /// <summary>Each exchange from its intended start (open loop: its scheduled time) to its completion.</summary>
    public required LatencyReport Latency { get; init; }

    /// <summary>Each handshake (TCP, proxy, TLS, upgrade) from its intended start (paced: its scheduled time).</summary>
    public required LatencyReport Handshake { get; init; }

    public IReadOnlyList<StepReport> Steps { get; init; } = [];
    public required ConnectionTotals Connections { get; init; }
    public HoldTotals? Hold { get; init; }
    public OpenLoopTotals? OpenLoop { get; init; }
    public required long ErrorCount { get; init; }

    /// <summary>Errors over all operations (handshakes, exchanges, each error being one failed operation) of the whole run.</summary>
    public required double ErrorRate { get; init; }

    public required IReadOnlyList<ErrorCount> Errors { get; init; }

    /// <summary>The SLO gates given on the command line, judged against this report.</summary>
    public IReadOnlyList<GateResult> Gates { get; init; } = [];

    public static double RateOf(long errors, long handshakes, long exchanges) =>
        errors == 0 ? 0 : (double)errors / (errors + handshakes + exchanges);
}
