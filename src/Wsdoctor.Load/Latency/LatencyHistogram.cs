using System.Numerics;

namespace Wsdoctor.Load.Latency;

/// <summary>A fixed-size log-linear histogram of non-negative integers (the engine records nanoseconds).
/// Values below 64 have a bucket each; above that every power-of-two range [2^k, 2^(k+1)) is cut into 32
/// equal buckets, so a reported value is never more than 1/32 (3.1%) above the true one. Recording is one
/// array increment with no allocation, which is why each connection keeps its own and they are merged at the
/// end instead of sharing one under a lock.</summary>
public sealed class LatencyHistogram
{
    /// <summary>log2 of the number of linear buckets per power of two.</summary>
    public const int SubBucketBits = 5;

    /// <summary>The largest value kept exactly by bucket (about 18 minutes in nanoseconds); larger values land in
    /// the last bucket, while <see cref="Max"/> stays exact.</summary>
    public const long MaxTrackableValue = (1L << 40) - 1;

    private const int SubBucketCount = 1 << SubBucketBits;

    private readonly long[] counts = new long[BucketIndex(MaxTrackableValue) + 1];

    public long Count { get; private set; }

    /// <summary>Sum of the recorded values (exact, for the mean).</summary>
    public long Sum { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public static int BucketCount => BucketIndex(MaxTrackableValue) + 1;

    public double Mean => Count == 0 ? 0 : (double)Sum / Count;

    /// <summary>Negative values count as 0 (a clock cannot run backwards between two reads, but be safe).</summary>
    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        counts[BucketIndex(Math.Min(value, MaxTrackableValue))]++;
        Count++;
        Sum += value;
        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The smallest bucket's highest value such that at least <paramref name="percentile"/>% of the
    /// recorded values are at or below it (nearest-rank), capped at the exact maximum; 0 when empty.</summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        if (rank >= Count)
        {
            // The highest rank is the maximum, known exactly even when it was beyond the last bucket.
            return Max;
        }

        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(BucketHighestValue(i), Max);
            }
        }

        return Max;
    }

    /// <summary>Below 2·32 the value is its own bucket; above, e = floor(log2 v) − 5 and the bucket is
    /// 32·e + (v &gt;&gt; e), which runs on without gaps from one power of two to the next.</summary>
    public static int BucketIndex(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var exponent = Math.Max(0, BitOperations.Log2((ulong)value) - SubBucketBits);
        return (exponent << SubBucketBits) + (int)(value >> exponent);
    }

    public static long BucketLowestValue(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index < 2 * SubBucketCount)
        {
            return index;
        }

        var exponent = (index >> SubBucketBits) - 1;
        return (long)(index - (exponent << SubBucketBits)) << exponent;
    }

    public static long BucketHighestValue(int index)
    {
        var exponent = index < 2 * SubBucketCount ? 0 : (index >> SubBucketBits) - 1;
        return BucketLowestValue(index) + (1L << exponent) - 1;
    }
}
