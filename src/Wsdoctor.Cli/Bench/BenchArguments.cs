using System.Globalization;
using Wsdoctor.Load.Payloads;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary>The value syntaxes bench's options take, each a one-line usage error when wrong.</summary>
public static class BenchArguments
{
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary><c>32</c>, <c>4k</c>, <c>32,4096</c> (equally likely) or <c>32:9,4k:1</c> (weights).</summary>
    public static SizeDistribution Sizes(string text)
    {
        var choices = new List<SizeChoice>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var size = Bytes(colon < 0 ? part : part[..colon], text);
            var weight = 1.0;
            if (colon >= 0 && (!double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight > 0) || !double.IsFinite(weight)))
            {
                throw new UsageException(T($"--size: the weight after ':' must be a positive number (got '{part}')", $"--size：“:” 后面的权重必须是正数（收到的是“{part}”）"));
            }

            choices.Add(new SizeChoice(size, weight));
        }

        return new SizeDistribution(choices);
    }

    /// <summary>Bytes with an optional k/m (KiB/MiB) suffix.</summary>
    public static int Bytes(string text, string whole)
    {
        var t = text.Trim().ToLowerInvariant().Replace("ib", "", StringComparison.Ordinal).TrimEnd('b');
        var scale = t.EndsWith('k') ? 1024 : t.EndsWith('m') ? 1024 * 1024 : 1;
        if (scale > 1)
        {
            t = t[..^1];
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value * scale > MaxMessageBytes)
        {
            throw new UsageException(T($"--size takes sizes such as 32, 4k or 1m, at most 64m, as a list '32,4k' or weighted '32:9,4k:1' (got '{whole}')", $"--size 的取值形如 32、4k 或 1m，最大 64m，可写成列表“32,4k”或带权重的“32:9,4k:1”（收到的是“{whole}”）"));
        }

        return (int)(value * scale);
    }

    public static double PositiveRate(string text, string option)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !(rate > 0) || !double.IsFinite(rate) || rate > 10_000_000)
        {
            throw new UsageException(T($"{option} takes a positive number per second, at most 10000000 (got '{text}')", $"{option} 的取值是每秒的数量，必须是正数，最大 10000000（收到的是“{text}”）"));
        }

        return rate;
    }

    /// <summary>A fraction <c>0.01</c> or a percentage <c>1%</c>.</summary>
    public static double Fraction(string text, string option)
    {
        var t = text.Trim();
        var percent = t.EndsWith('%');
        if (!double.TryParse(percent ? t[..^1] : t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new UsageException(T($"{option} takes a fraction such as 0.01 or a percentage such as 1% (got '{text}')", $"{option} 的取值是 0.01 这样的小数或 1% 这样的百分比（收到的是“{text}”）"));
        }

        value = percent ? value / 100 : value;
        if (value is < 0 or > 1)
        {
            throw new UsageException(T($"{option} must be between 0 and 1 (0% and 100%) (got '{text}')", $"{option} 必须在 0 到 1（0% 到 100%）之间（收到的是“{text}”）"));
        }

        return value;
    }

    /// <summary>A duration that may also be 0 (no warm-up, no ramp).</summary>
    public static TimeSpan DurationOrZero(string text, string option, double maxSeconds = 24 * 3600) =>
        text.Trim() is "0" or "0s" or "0ms" ? TimeSpan.Zero : DurationText.Parse(text, option, maxSeconds);
}
