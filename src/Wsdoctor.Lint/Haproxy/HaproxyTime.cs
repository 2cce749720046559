using System.Globalization;

namespace Wsdoctor.Lint.Haproxy;

/// <summary>HAProxy time values (configuration manual, 2.5 "Time format"): a number with an optional unit us, ms,
/// s, m, h or d; a bare number is milliseconds; at most 2^31-1 ms (about 24.8 days). <c>0</c> is a value: for
/// timeout tunnel it means "not set".</summary>
public static class HaproxyTime
{
    public static TimeSpan? Parse(string text)
    {
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits > 12)
        {
            return null;
        }

        var value = long.Parse(text.AsSpan(0, digits), CultureInfo.InvariantCulture);
        double? ms = text[digits..] switch
        {
            "" or "ms" => value,
            "us" => value / 1000.0,
            "s" => value * 1_000.0,
            "m" => value * 60_000.0,
            "h" => value * 3_600_000.0,
            "d" => value * 86_400_000.0,
            _ => null,
        };

        // HAProxy keeps timers as 32-bit milliseconds and refuses anything longer ("timer overflow"): so do we,
        // which also keeps TimeSpan from overflowing on a 12-digit number of days.
        return ms is { } total && total <= int.MaxValue ? TimeSpan.FromMilliseconds(total) : null;
    }
}
