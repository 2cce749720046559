using System.Diagnostics;
using System.Globalization;

namespace Wsdoctor.Bench.Generators;

/// <summary>A load generator under comparison, started through setsid(1) so it leads its own process group: its CPU
/// time is the sum over every process of that group (tsung's shell script, erl and beam; artillery's node), read
/// from /proc, and stopping it signals the whole group (SIGTERM, then SIGKILL), so nothing it forked is left.</summary>
public sealed class GeneratorProcess : IDisposable
{
    private const int KeptLines = 20;
    private const double ClockTicksPerSecond = 100;

    private readonly Process process;
    private readonly Queue<string> lastLines = new();
    private readonly Lock gate = new();

    private GeneratorProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int ProcessGroup => process.Id;

    public bool HasExited => process.HasExited;

    public static GeneratorProcess Start(string name, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Not a process group leader when forked from here, so setsid execs in place: the pid is the group's id.
        var generator = new GeneratorProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}"));
        generator.process.StandardInput.Close();
        _ = generator.PumpAsync(generator.process.StandardOutput);
        _ = generator.PumpAsync(generator.process.StandardError);
        return generator;
    }

    /// <summary>User + system CPU seconds of every live process in the group, and how many there are.</summary>
    public (double CpuSeconds, int Processes) Cpu()
    {
        long ticks = 0;
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (pid.Length == 0 || !char.IsAsciiDigit(pid[0]))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // It exited meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // proc(5): after the command name in parentheses come state (3), ppid (4), pgrp (5) ... utime (14), stime (15).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 12 && fields[0] != "Z" && fields[2] == ProcessGroup.ToString(CultureInfo.InvariantCulture))
            {
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                count++;
            }
        }

        return (ticks / ClockTicksPerSecond, count);
    }

    public string LastOutput()
    {
        lock (gate)
        {
            return string.Join("\n  ", lastLines);
        }
    }

    /// <summary>SIGTERM to the group, SIGKILL after 3 s if anything of it is left, then reaps the leader.</summary>
    public void Dispose()
    {
        Signal("TERM");
        var deadline = Stopwatch.GetTimestamp() + 3 * Stopwatch.Frequency;
        while (Cpu().Processes > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(50);
        }

        if (Cpu().Processes > 0)
        {
            Signal("KILL");
        }

        process.WaitForExit(5_000);
        process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, "--", "-" + ProcessGroup.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false, RedirectStandardError = true });
        kill?.WaitForExit(5_000);
    }

    private async Task PumpAsync(StreamReader reader)
    {
        // Ends at EOF, when the group closes its output.
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (gate)
            {
                lastLines.Enqueue(line);
                if (lastLines.Count > KeptLines)
                {
                    lastLines.Dequeue();
                }
            }
        }
    }
}
