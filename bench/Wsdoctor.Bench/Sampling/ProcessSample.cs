using System.Globalization;

namespace Wsdoctor.Bench.Sampling;

/// <summary>What /proc says about one process at one instant: resident memory now and at its peak, and CPU time
/// used so far (user + system, all threads).</summary>
public sealed record ProcessSample(long RssKiB, long HwmKiB, double CpuSeconds, int Threads)
{
    // USER_HZ, the unit of utime/stime in /proc/PID/stat. It is 100 on every Linux architecture .NET runs on
    // (the kernel's CONFIG_HZ does not change what userspace sees).
    private const double ClockTicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        long rss = 0, hwm = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = KiB(line);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = (int)KiB(line);
            }
        }

        // proc(5): the command name in field 2 may contain spaces and parentheses, so count fields from the last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessSample(rss, hwm, ticks / ClockTicksPerSecond, threads);
    }

    private static long KiB(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }
}
