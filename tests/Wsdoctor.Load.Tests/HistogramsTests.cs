using HdrHistogram;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Tests;

public class HistogramsTests
{
    [Fact]
    public void EncodeDecode_RoundTrip_KeepsEveryCount()
    {
        var histogram = Histograms.Create();
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            histogram.RecordValue(Histograms.Clamp((long)Math.Exp(random.NextDouble() * 25)));
        }

        var decoded = Histograms.Decode(Histograms.Encode(histogram));

        Assert.Equal(histogram.TotalCount, decoded.TotalCount);
        Assert.Equal(histogram.GetMaxValue(), decoded.GetMaxValue());
        AssertSameCounts(histogram, decoded);
    }

    [Fact]
    public void Merge_OfEncodedShards_EqualsTheHistogramOfTheUnion()
    {
        // Three shards with different distributions (one of them empty-ish), the way bench merge sees them.
        var union = Histograms.Create();
        var shards = new List<string>();
        var random = new Random(11);
        foreach (var (count, scale) in new[] { (5000, 40_000.0), (3, 9e9), (7000, 2_000_000.0) })
        {
            var shard = Histograms.Create();
            for (var i = 0; i < count; i++)
            {
                var value = Histograms.Clamp((long)(random.NextDouble() * scale) + 1);
                shard.RecordValue(value);
                union.RecordValue(value);
            }

            shards.Add(Histograms.Encode(shard));
        }

        var merged = Histograms.Create();
        foreach (var encoded in shards)
        {
            merged.Add(Histograms.Decode(encoded));
        }

        AssertSameCounts(union, merged);
        foreach (var p in new[] { 50.0, 90, 99, 99.9, 99.99, 100 })
        {
            Assert.Equal(union.GetValueAtPercentile(p), merged.GetValueAtPercentile(p));
        }
    }

    [Fact]
    public void Decode_WhatTheLibraryEncodes_EqualsWhatTheLibraryDecodes()
    {
        // Another shape than the engine's (lowest 1000, 2 digits), zero counts, runs of empty buckets, a count above
        // what one LEB128 byte holds: wsdoctor's own decoder must read what HdrHistogram's own one reads.
        var other = new LongHistogram(1000, 60_000_000_000, 2);
        var random = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            other.RecordValue(1000 + (long)Math.Exp(random.NextDouble() * 23));
        }

        other.RecordValueWithCount(7_000_000, 1_000_000_000_000);
        var encoded = Histograms.Encode(other);
        var library = HistogramEncoding.DecodeFromCompressedByteBuffer(HdrHistogram.Utilities.ByteBuffer.Allocate(Convert.FromBase64String(encoded)), 0);
        var expected = Histograms.Create();
        expected.Add(library);

        var decoded = Histograms.Decode(encoded);

        Assert.Equal(other.TotalCount, decoded.TotalCount);
        AssertSameCounts(expected, decoded);
    }

    [Fact]
    public void Decode_CutShort_IsAFormatException()
    {
        var histogram = Histograms.Create();
        histogram.RecordValue(12345);
        var bytes = Convert.FromBase64String(Histograms.Encode(histogram));

        Assert.Throws<FormatException>(() => Histograms.Decode(Convert.ToBase64String(bytes[..^4])));
        bytes[0] ^= 0xFF;
        Assert.Throws<FormatException>(() => Histograms.Decode(Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void Decode_Garbage_IsAFormatException()
    {
        Assert.Throws<FormatException>(() => Histograms.Decode("not base64!"));
        Assert.Throws<FormatException>(() => Histograms.Decode(Convert.ToBase64String(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })));
    }

    [Fact]
    public void Clamp_KeepsValuesInTheTrackableRange()
    {
        Assert.Equal(1, Histograms.Clamp(-5));
        Assert.Equal(Histograms.HighestTrackable, Histograms.Clamp(long.MaxValue));
    }

    [Fact]
    public void LatencySummary_ConvertsNanosecondsToMicroseconds()
    {
        var histogram = Histograms.Create();
        for (var v = 1; v <= 1000; v++)
        {
            histogram.RecordValue(v * 1000L);
        }

        var summary = LatencySummary.FromNanoseconds(histogram);

        Assert.Equal(1000, summary.Count);
        Assert.Equal(500, summary.P50, 0);
        Assert.Equal(990, summary.P99, 0);
        Assert.Equal(1000, summary.Max, 0);
        Assert.InRange(summary.Mean, 500, 501);
        Assert.Equal(0, LatencySummary.FromNanoseconds(Histograms.Create()).Count);
    }

    private static void AssertSameCounts(HistogramBase expected, HistogramBase actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        foreach (var value in expected.RecordedValues())
        {
            Assert.Equal(value.CountAtValueIteratedTo, actual.GetCountAtValue(value.ValueIteratedTo));
        }

        Assert.Equal(expected.RecordedValues().Count(), actual.RecordedValues().Count());
    }
}
