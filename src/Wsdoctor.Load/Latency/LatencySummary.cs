using HdrHistogram;

namespace Wsdoctor.Load.Latency;

/// <summary>Latency percentiles of one histogram of nanoseconds, in microseconds.</summary>
public sealed record LatencySummary
{
    public long Count { get; init; }

    public double P50 { get; init; }

    public double P75 { get; init; }

    public double P90 { get; init; }

    public double P99 { get; init; }

    public double P999 { get; init; }

    public double P9999 { get; init; }

    public double Max { get; init; }

    public double Mean { get; init; }

    public static LatencySummary FromNanoseconds(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (histogram.TotalCount == 0)
        {
            return new LatencySummary();
        }

        return new LatencySummary
        {
            Count = histogram.TotalCount,
            P50 = Micros(histogram.GetValueAtPercentile(50)),
            P75 = Micros(histogram.GetValueAtPercentile(75)),
            P90 = Micros(histogram.GetValueAtPercentile(90)),
            P99 = Micros(histogram.GetValueAtPercentile(99)),
            P999 = Micros(histogram.GetValueAtPercentile(99.9)),
            P9999 = Micros(histogram.GetValueAtPercentile(99.99)),
            Max = Micros(histogram.GetMaxValue()),
            Mean = histogram.GetMean() / 1000,
        };
    }

    private static double Micros(long nanoseconds) => nanoseconds / 1000.0;
}
