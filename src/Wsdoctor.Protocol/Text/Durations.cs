using System.Globalization;

namespace Wsdoctor.Protocol.Text;

/// <summary>Durations as users type them, on the command line and in scenario files: <c>5</c> (seconds),
/// <c>1.5s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>.</summary>
public static class Durations
{
    /// <summary>False for anything that is not a positive, finite duration in one of the forms above.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = TimeSpan.Zero;
        var t = text.Trim().ToLowerInvariant();
        var (number, scale) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed) || parsed <= 0
            || parsed * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(parsed * scale);
        return true;
    }

    /// <summary>The inverse, for messages: "500ms", "5s", "10m".</summary>
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms"
        : span.TotalSeconds < 120 ? $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s"
        : $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)}m";
}
