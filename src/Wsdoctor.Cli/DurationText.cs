using System.Globalization;

namespace Wsdoctor.Cli;

/// <summary>Durations as users type them: <c>5</c> (seconds), <c>1.5s</c>, <c>500ms</c>, <c>2m</c>.</summary>
public static class DurationText
{
    /// <param name="maxSeconds">The longest value the option takes (an hour unless the option says otherwise).</param>
    public static TimeSpan Parse(string text, string option, double maxSeconds = 3600)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, scale) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
        {
            throw new UsageException($"{option} takes a duration such as 5, 1.5s, 500ms or 2m (got '{text}')");
        }

        if (value * scale > maxSeconds)
        {
            throw new UsageException($"{option} is at most {Format(TimeSpan.FromSeconds(maxSeconds))} (got '{text}')");
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>The inverse, for messages: "500ms", "5s", "10m".</summary>
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms"
        : span.TotalSeconds < 120 ? $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s"
        : $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)}m";
}
