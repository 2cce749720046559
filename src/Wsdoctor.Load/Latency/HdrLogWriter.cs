using System.Globalization;
using HdrHistogram;

namespace Wsdoctor.Load.Latency;

/// <summary>Writes an HdrHistogram interval log (format version 1.3, as HdrHistogram's Java HistogramLogWriter
/// writes it, readable by its HistogramLogProcessor and plotters): header comments with the start and base
/// time, the CSV column line, then one line per interval: [Tag=NAME,]start,length,max,histogram, times in
/// seconds from the base time, the max divided by 10^6 (values are nanoseconds, so the max is in milliseconds).
/// ASCII, unlike the .NET library's own writer, which writes UTF-16.</summary>
public sealed class HdrLogWriter : IDisposable
{
    private const double MaxValueUnitRatio = 1_000_000;
    private readonly StreamWriter writer;
    private readonly DateTimeOffset baseTime;

    public HdrLogWriter(Stream stream, DateTimeOffset baseTime, string comment)
    {
        ArgumentNullException.ThrowIfNull(stream);
        writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        this.baseTime = baseTime;
        var seconds = Seconds(baseTime.ToUnixTimeMilliseconds() / 1000.0);
        writer.WriteLine($"#[{comment}]");
        writer.WriteLine("#[Histogram log format version 1.3]");
        writer.WriteLine($"#[StartTime: {seconds} (seconds since epoch), {baseTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}]");
        writer.WriteLine($"#[BaseTime: {seconds} (seconds since epoch)]");
        writer.WriteLine("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"");
        writer.Flush();
    }

    public void Append(string? tag, DateTimeOffset start, DateTimeOffset end, HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var prefix = tag is null ? "" : $"Tag={tag},";
        var max = histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / MaxValueUnitRatio;
        writer.WriteLine($"{prefix}{Seconds((start - baseTime).TotalSeconds)},{Seconds((end - start).TotalSeconds)},{max.ToString("0.000", CultureInfo.InvariantCulture)},{Histograms.Encode(histogram)}");
        writer.Flush();
    }

    public void Dispose() => writer.Dispose();

    private static string Seconds(double seconds) => Math.Max(0, seconds).ToString("0.000", CultureInfo.InvariantCulture);
}
