namespace Wsdoctor.Lint.Nginx;

/// <summary>nginx time values as <c>ngx_parse_time</c> reads them for the millisecond slots (proxy_read_timeout,
/// worker_shutdown_timeout): groups of a number and a unit in decreasing order, each unit once (<c>1h30m</c>,
/// <c>1h 30m</c>); units ms s m h d w M (30 days) y (365 days); a bare number is seconds.
/// https://nginx.org/en/docs/syntax.html</summary>
public static class NginxTime
{
    private static readonly (string Unit, double Seconds)[] Units =
    [
        ("y", 365 * 86400), ("M", 30 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1), ("ms", 0.001),
    ];

    private const double MaxSeconds = long.MaxValue / 1000.0;

    public static TimeSpan? Parse(string text)
    {
        var total = 0.0;
        var lastStep = -1;
        var i = 0;
        var any = false;
        while (i < text.Length)
        {
            var digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == digits || i - digits > 12)
            {
                return null;
            }

            var value = long.Parse(text.AsSpan(digits, i - digits), System.Globalization.CultureInfo.InvariantCulture);
            any = true;
            if (i == text.Length)
            {
                // A trailing bare number is seconds (and only allowed last).
                total += value;
                break;
            }

            var step = -1;
            if (text[i] == 'm' && i + 1 < text.Length && text[i + 1] == 's')
            {
                step = 7;
                i += 2;
            }
            else
            {
                step = Array.FindIndex(Units, u => u.Unit.Length == 1 && u.Unit[0] == text[i]);
                i++;
            }

            if (step < 0 || step <= lastStep)
            {
                return null;
            }

            lastStep = step;
            total += value * Units[step].Seconds;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }
        }

        // ngx_parse_time refuses a total past ngx_int_t in milliseconds ("invalid value"); a longer time that nginx
        // takes is past what TimeSpan holds (about 29,000 years) and reads as forever.
        if (!any || total > MaxSeconds)
        {
            return null;
        }

        return total >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(total);
    }
}
