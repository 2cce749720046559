using Wsdoctor.Findings;
using Wsdoctor.Load.Latency;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Analysis;

/// <summary>Count and percentiles of a set of durations, in milliseconds.</summary>
public sealed record Spread(long Count, double P50, double P90, double P99, double Max, double Min)
{
    public static readonly Spread Empty = new(0, 0, 0, 0, 0, 0);

    public static Spread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return Empty;
        }

        var sorted = values.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Spread(sorted.Length, At(50), At(90), At(99), sorted[^1], sorted[0]);
    }

    /// <summary>From an HdrHistogram of nanoseconds (the RTTs).</summary>
    public static Spread Of(LatencySummary micros)
    {
        ArgumentNullException.ThrowIfNull(micros);
        return micros.Count == 0 ? Empty : new Spread(micros.Count, micros.P50 / 1000, micros.P90 / 1000, micros.P99 / 1000, micros.Max / 1000, double.NaN);
    }
}

/// <summary>What the watch found, for the text and JSON summaries.</summary>
public sealed record WatchSummary
{
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }
    public required TimeSpan Connected { get; init; }

    /// <summary>Connected time over the watch's time, in percent.</summary>
    public double UptimePercent => Duration <= TimeSpan.Zero ? 0 : Math.Min(100, 100 * Connected.TotalSeconds / Duration.TotalSeconds);

    public required string EndReason { get; init; }

    /// <summary><see cref="EndReason"/> for the text summary.</summary>
    public Text? EndReasonText { get; init; }
    public required bool Interrupted { get; init; }
    public required int Connections { get; init; }
    public required int DropCount { get; init; }

    /// <summary>The drops kept (at most WatchOptions.MaxRecorded), oldest first.</summary>
    public required IReadOnlyList<Drop> Drops { get; init; }

    /// <summary>Drop codes with their counts, the close code appended for closed-by-server (session.closed-by-server 1001).</summary>
    public required IReadOnlyList<(string Cause, int Count)> DropsByCause { get; init; }

    /// <summary>Failed (re)connect attempts by code and detail (tcp.refused, http.upstream-error 503...).</summary>
    public required IReadOnlyList<(string Cause, int Count)> OpenFailures { get; init; }

    /// <summary>The certificate changes kept (at most WatchOptions.MaxRecorded), oldest first.</summary>
    public required IReadOnlyList<CertificateChange> CertificateChanges { get; init; }

    public required int CertificateChangeCount { get; init; }
    public required Spread Rtt { get; init; }

    /// <summary>From each drop to the next successful open, backoff included.</summary>
    public required Spread Reconnect { get; init; }

    /// <summary>The pattern the drops make (idle timeout, lifetime limit, restarts...) with evidence and fix; empty
    /// when nothing dropped.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>check's diagnosis when the endpoint was unreachable at the end.</summary>
    public CheckReport? Diagnosis { get; init; }

    public string? Intermediary { get; init; }

    public bool Healthy => DropCount == 0 && OpenFailures.Count == 0 && Connections > 0;
}
