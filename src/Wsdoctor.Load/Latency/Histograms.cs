using HdrHistogram;

namespace Wsdoctor.Load.Latency;

/// <summary>Every latency of the load engine goes into an HdrHistogram of nanoseconds with the same shape
/// (1 ns to 1 hour, 3 significant digits: a reported value is within 0.1 % of the true one), so that
/// histograms from connections, intervals and shards can be added exactly. Reports carry them in
/// HdrHistogram's compressed base64 form, the one its interval logs use, and merging adds the counts.</summary>
public static class Histograms
{
    /// <summary>One hour in nanoseconds: far above any step timeout; a larger value is recorded as this.</summary>
    public const long HighestTrackable = 3_600_000_000_000;

    public const int SignificantDigits = 3;

    public static LongHistogram Create() => new(1, HighestTrackable, SignificantDigits);

    /// <summary>A recorder many connections write to at once; each progress tick takes the interval since the last.</summary>
    public static Recorder CreateRecorder() =>
        new(1, HighestTrackable, SignificantDigits, static (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));

    /// <summary>Clamps to the trackable range instead of throwing, so one absurd value cannot end a run.</summary>
    public static long Clamp(long nanoseconds) => Math.Clamp(nanoseconds, 1, HighestTrackable);

    public static string Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        // The library's only public way to the compressed form is its log writer (ByteBuffer keeps its bytes
        // internal). Its interval line ends in the encoding, but the writer writes UTF-16 and encodes the whole
        // buffer, zero padding included; the encoding itself is a cookie, a big-endian length and that many
        // deflated bytes, so it is cut to 8 + length and written again as plain base64.
        using var stream = new MemoryStream();
        using (var writer = new HistogramLogWriter(stream))
        {
            writer.Append(histogram);
        }

        using var reader = new StreamReader(new MemoryStream(stream.ToArray()), detectEncodingFromByteOrderMarks: true);
        var line = reader.ReadToEnd().Trim();
        var padded = Convert.FromBase64String(line[(line.LastIndexOf(',') + 1)..]);
        var length = 8 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(padded.AsSpan(4));
        return Convert.ToBase64String(padded, 0, Math.Min(length, padded.Length));
    }

    /// <summary>Reads HdrHistogram's V2 compressed form (what <see cref="Encode"/> writes, and HdrHistogram's Java and
    /// .NET log writers) into a histogram of the engine's shape. Decoded here rather than by the library, whose decoder
    /// picks the histogram class by reflection (not trimmable, so not in the Native AOT binary).</summary>
    /// <exception cref="FormatException">Not a base64 compressed histogram.</exception>
    public static LongHistogram Decode(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        try
        {
            return CompressedHistogram.Read(Convert.FromBase64String(base64));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or IndexOutOfRangeException)
        {
            throw new FormatException($"not an HdrHistogram in compressed form: {ex.Message}", ex);
        }
    }
}
