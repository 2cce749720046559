using System.Buffers.Binary;
using System.IO.Compression;
using HdrHistogram;

namespace Wsdoctor.Load.Latency;

/// <summary>HdrHistogram's V2 compressed encoding: a cookie, the length of a zlib stream, and that stream, which holds a
/// 40-byte header (cookie, payload length, normalizing index offset, significant digits, lowest discernible value,
/// highest trackable value, integer-to-double ratio; big-endian) and the counts, each a ZigZag LEB128 long, where a
/// negative value -n stands for n empty buckets.</summary>
internal static class CompressedHistogram
{
    private const int CompressedCookie = 0x1c849304 | 0x10;
    private const int Cookie = 0x1c849303 | 0x10;
    private const int HeaderLength = 40;

    /// <summary>Bounds what a hostile report can make us inflate: the engine's shape has about 43 000 buckets, each at
    /// most 9 bytes.</summary>
    private const int MaxPayload = 1 << 20;

    private const long MaxBuckets = 1 << 24;

    public static LongHistogram Read(byte[] bytes)
    {
        if (bytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(bytes) != CompressedCookie)
        {
            throw new InvalidDataException("no V2 compressed-histogram cookie");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (length < 2 || length > bytes.Length - 8)
        {
            throw new InvalidDataException($"the compressed length {length} does not fit the {bytes.Length} bytes");
        }

        var inflated = Inflate(bytes.AsSpan(8, length));
        if (inflated.Length < HeaderLength || BinaryPrimitives.ReadInt32BigEndian(inflated) != Cookie)
        {
            throw new InvalidDataException("no V2 histogram cookie inside the compressed data");
        }

        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(inflated.AsSpan(4));
        var normalizingOffset = BinaryPrimitives.ReadInt32BigEndian(inflated.AsSpan(8));
        var digits = BinaryPrimitives.ReadInt32BigEndian(inflated.AsSpan(12));
        var lowest = BinaryPrimitives.ReadInt64BigEndian(inflated.AsSpan(16));
        var highest = BinaryPrimitives.ReadInt64BigEndian(inflated.AsSpan(24));
        if (payloadLength < 0 || payloadLength > inflated.Length - HeaderLength)
        {
            throw new InvalidDataException($"the payload length {payloadLength} does not fit the {inflated.Length - HeaderLength} bytes");
        }

        if (normalizingOffset != 0 || digits is < 0 or > 5 || lowest < 1 || highest < 2 * lowest)
        {
            throw new InvalidDataException($"unsupported histogram shape (offset {normalizingOffset}, {digits} digits, {lowest}..{highest})");
        }

        var layout = new Layout(lowest, digits);
        var histogram = Histograms.Create();
        ReadOnlySpan<byte> payload = inflated.AsSpan(HeaderLength, payloadLength);
        var index = 0L;
        while (!payload.IsEmpty)
        {
            var count = ReadZigZag(ref payload);
            if (count < 0)
            {
                index -= count;
                if (index > MaxBuckets)
                {
                    throw new InvalidDataException($"a run of {-count} empty buckets goes past any histogram");
                }

                continue;
            }

            if (count > 0)
            {
                var value = layout.ValueAt(index);
                if (value > Histograms.HighestTrackable)
                {
                    throw new InvalidDataException($"bucket {index} ({value}) is outside the trackable range");
                }

                histogram.RecordValueWithCount(value, count);
            }

            if (++index > MaxBuckets)
            {
                throw new InvalidDataException("more buckets than any histogram has");
            }
        }

        return histogram;
    }

    private static byte[] Inflate(ReadOnlySpan<byte> zlib)
    {
        // A two-byte zlib header, then raw deflate; the Adler-32 trailer is not needed to read the counts.
        using var input = new MemoryStream(zlib[2..].ToArray());
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = deflate.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
            if (output.Length > MaxPayload + HeaderLength)
            {
                throw new InvalidDataException($"more than {MaxPayload} bytes of counts");
            }
        }

        return output.ToArray();
    }

    private static long ReadZigZag(ref ReadOnlySpan<byte> data)
    {
        ulong raw = 0;
        for (var i = 0; ; i++)
        {
            if (data.IsEmpty)
            {
                throw new InvalidDataException("a count is cut short");
            }

            var b = data[0];
            data = data[1..];
            if (i == 8)
            {
                // The ninth byte carries eight bits: 8 x 7 + 8 = 64.
                raw |= (ulong)b << 56;
                break;
            }

            raw |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Where a bucket index lies for a histogram of this lowest value and precision (HdrHistogram's layout:
    /// a linear first bucket, then buckets of doubling unit, each split into half a bucket's worth of sub-buckets).</summary>
    private readonly struct Layout(long lowest, int digits)
    {
        private readonly int unitMagnitude = (int)Math.Floor(Math.Log2(lowest));
        private readonly int subBucketHalfCountMagnitude = Math.Max((int)Math.Ceiling(Math.Log2(2 * Math.Pow(10, digits))), 1) - 1;

        public long ValueAt(long index)
        {
            var halfCount = 1L << subBucketHalfCountMagnitude;
            var bucket = (int)(index >> subBucketHalfCountMagnitude) - 1;
            var subBucket = (index & (halfCount - 1)) + halfCount;
            if (bucket < 0)
            {
                subBucket -= halfCount;
                bucket = 0;
            }

            var shift = bucket + unitMagnitude;
            if (shift > 62 || subBucket > long.MaxValue >> shift)
            {
                throw new InvalidDataException($"bucket {index} is beyond any 64-bit value");
            }

            return subBucket << shift;
        }
    }
}
