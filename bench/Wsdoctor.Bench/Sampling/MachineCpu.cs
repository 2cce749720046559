using System.Globalization;

namespace Wsdoctor.Bench.Sampling;

/// <summary>Busy CPU seconds of the whole machine so far (first line of /proc/stat), to tell how much of a run's
/// CPU went to processes other than the server and the load generator, i.e. how noisy the machine was.</summary>
public static class MachineCpu
{
    private const double ClockTicksPerSecond = 100;

    public static double BusySeconds()
    {
        using var reader = new StreamReader("/proc/stat");
        var fields = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
        long busy = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (i is not 4 and not 5)
            {
                busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }
        }

        return busy / ClockTicksPerSecond;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
