using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void BucketIndex_SmallValues_AreExact()
    {
        for (long v = 0; v < 64; v++)
        {
            var index = LatencyHistogram.BucketIndex(v);
            Assert.Equal(v, LatencyHistogram.BucketLowestValue(index));
            Assert.Equal(v, LatencyHistogram.BucketHighestValue(index));
        }
    }

    [Fact]
    public void BucketIndex_EveryValueLiesInItsBucket_AndBucketsAreContiguous()
    {
        // Walk the bucket boundaries over the whole range: each bucket starts one past the previous one's end.
        for (var i = 1; i < LatencyHistogram.BucketCount; i++)
        {
            Assert.Equal(LatencyHistogram.BucketHighestValue(i - 1) + 1, LatencyHistogram.BucketLowestValue(i));
            Assert.Equal(i, LatencyHistogram.BucketIndex(LatencyHistogram.BucketLowestValue(i)));
            Assert.Equal(i, LatencyHistogram.BucketIndex(LatencyHistogram.BucketHighestValue(i)));
        }

        Assert.Equal(LatencyHistogram.MaxTrackableValue, LatencyHistogram.BucketHighestValue(LatencyHistogram.BucketCount - 1));
    }

    [Fact]
    public void BucketWidth_NeverExceedsOneThirtySecondOfTheValue()
    {
        var random = new Random(42);
        for (var n = 0; n < 100_000; n++)
        {
            var value = random.NextInt64(64, LatencyHistogram.MaxTrackableValue);
            var index = LatencyHistogram.BucketIndex(value);
            var low = LatencyHistogram.BucketLowestValue(index);
            var high = LatencyHistogram.BucketHighestValue(index);
            Assert.InRange(value, low, high);
            Assert.True(high - low + 1 <= low / 32.0, $"bucket [{low}, {high}] of {value} is wider than 1/32 of its start");
        }
    }

    [Fact]
    public void ValueAtPercentile_UniformOneToThousand_MatchesNearestRankWithinBucketError()
    {
        var histogram = new LatencyHistogram();
        for (long v = 1000; v >= 1; v--)
        {
            histogram.Record(v);
        }

        Assert.Equal(1000, histogram.Count);
        Assert.Equal(1, histogram.Min);
        Assert.Equal(1000, histogram.Max);
        Assert.Equal(500.5, histogram.Mean);
        foreach (var (percentile, exact) in new[] { (50.0, 500L), (90.0, 900L), (99.0, 990L), (99.9, 999L) })
        {
            var reported = histogram.ValueAtPercentile(percentile);
            // Reported as the bucket's highest value: never below the true one, at most 1/32 above it.
            Assert.InRange(reported, exact, exact + exact / 32);
        }

        Assert.Equal(1000, histogram.ValueAtPercentile(100));
        Assert.Equal(1, histogram.ValueAtPercentile(0));
    }

    [Fact]
    public void ValueAtPercentile_SmallValues_AreExact()
    {
        var histogram = new LatencyHistogram();
        foreach (var v in new long[] { 5, 1, 3, 2, 4 })
        {
            histogram.Record(v);
        }

        Assert.Equal(3, histogram.ValueAtPercentile(50));
        Assert.Equal(5, histogram.ValueAtPercentile(90));
        Assert.Equal(1, histogram.ValueAtPercentile(20));
        Assert.Equal(2, histogram.ValueAtPercentile(20.1));
    }

    [Fact]
    public void ValueAtPercentile_CapsAtTheExactMaximum()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1_000_001);

        // The bucket of 1,000,001 reaches 1,015,807; the true maximum is known exactly and wins.
        Assert.Equal(1_000_001, histogram.ValueAtPercentile(50));
    }

    [Fact]
    public void Record_HugeAndNegativeValues_AreClampedButCounted()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(long.MaxValue / 2);
        histogram.Record(-5);

        Assert.Equal(2, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(long.MaxValue / 2, histogram.Max);
        Assert.Equal(0, histogram.ValueAtPercentile(50));
        Assert.Equal(long.MaxValue / 2, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Add_EqualsRecordingEverythingInOne()
    {
        var random = new Random(7);
        var all = new LatencyHistogram();
        var parts = new[] { new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram() };
        for (var n = 0; n < 30_000; n++)
        {
            var value = random.NextInt64(0, 50_000_000);
            all.Record(value);
            parts[n % 3].Record(value);
        }

        var merged = new LatencyHistogram();
        foreach (var part in parts)
        {
            merged.Add(part);
        }

        Assert.Equal(all.Count, merged.Count);
        Assert.Equal(all.Sum, merged.Sum);
        Assert.Equal(all.Min, merged.Min);
        Assert.Equal(all.Max, merged.Max);
        foreach (var p in new[] { 0.0, 10, 50, 90, 99, 99.9, 100 })
        {
            Assert.Equal(all.ValueAtPercentile(p), merged.ValueAtPercentile(p));
        }
    }

    [Fact]
    public void Empty_ReportsZeros()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.ValueAtPercentile(99));
        Assert.Equal(0, histogram.Mean);
        var summary = LatencySummary.FromNanoseconds(histogram);
        Assert.Equal(0, summary.P99);
    }

    [Fact]
    public void LatencySummary_ConvertsNanosecondsToMicroseconds()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(40);
        histogram.Record(2_000);

        var summary = LatencySummary.FromNanoseconds(histogram);

        Assert.Equal(0.04, summary.P50, 6);
        Assert.Equal(2.0, summary.Max, 6);
        Assert.Equal(1.02, summary.Mean, 6);
    }
}
