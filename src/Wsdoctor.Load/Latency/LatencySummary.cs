namespace Wsdoctor.Load.Latency;

/// <summary>Round-trip latency of the measured messages, in microseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double Max, double Mean)
{
    public static LatencySummary FromNanoseconds(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new LatencySummary(
            Micros(histogram.ValueAtPercentile(50)),
            Micros(histogram.ValueAtPercentile(90)),
            Micros(histogram.ValueAtPercentile(99)),
            Micros(histogram.Max),
            histogram.Mean / 1000);
    }

    private static double Micros(long nanoseconds) => nanoseconds / 1000.0;
}
