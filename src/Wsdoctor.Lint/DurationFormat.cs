using System.Globalization;

namespace Wsdoctor.Lint;

/// <summary>Durations in messages the way proxy configurations write them: 500ms, 45s, 10m, 1h, 1h30m.</summary>
public static class DurationFormat
{
    public static string Format(TimeSpan span)
    {
        if (span.TotalSeconds < 1)
        {
            return span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = (long)Math.Round(span.TotalSeconds);
        if (seconds % 3600 == 0)
        {
            return $"{seconds / 3600}h";
        }

        if (seconds >= 3600 && seconds % 60 == 0)
        {
            return $"{seconds / 3600}h{seconds % 3600 / 60}m";
        }

        if (seconds % 60 == 0)
        {
            return $"{seconds / 60}m";
        }

        return $"{seconds}s";
    }
}
