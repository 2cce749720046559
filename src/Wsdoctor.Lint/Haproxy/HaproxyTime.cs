using System.Globalization;

namespace Wsdoctor.Lint.Haproxy;

/// <summary>HAProxy time values (configuration manual, 2.5 "Time format"): a number with an optional unit us, ms,
/// s, m, h or d; a bare number is milliseconds. <c>0</c> is a value: for timeout tunnel it means "not set".</summary>
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
        return text[digits..] switch
        {
            "" or "ms" => TimeSpan.FromMilliseconds(value),
            "us" => TimeSpan.FromMicroseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            "d" => TimeSpan.FromDays(value),
            _ => null,
        };
    }
}
