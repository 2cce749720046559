using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Wsdoctor.Bench.Sampling;

/// <summary>The machine and software a run was taken on, as printed next to the numbers.</summary>
public sealed record MachineInfo(
    string Cpu,
    int Cores,
    long MemoryMiB,
    string Kernel,
    string DotnetRuntime,
    string ServeGc,
    string NodeVersion,
    string WsVersion)
{
    public static MachineInfo Collect(string node, string wsModule, string wsdoctorDll)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } model
            ? model[(model.IndexOf(':') + 1)..].Trim()
            : "unknown";
        var memKiB = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return new MachineInfo(
            cpu,
            Environment.ProcessorCount,
            long.Parse(memKiB, System.Globalization.CultureInfo.InvariantCulture) / 1024,
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
            GcMode(wsdoctorDll),
            Capture(node, "--version"),
            PackageVersion(wsModule));
    }

    /// <summary>What the runtime will pick for wsdoctor.dll: its runtimeconfig.json, overridden by DOTNET_ variables.</summary>
    private static string GcMode(string wsdoctorDll)
    {
        var server = false;
        var concurrent = true;
        var config = Path.ChangeExtension(wsdoctorDll, ".runtimeconfig.json");
        if (File.Exists(config))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(config));
            if (json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
            {
                if (properties.TryGetProperty("System.GC.Server", out var s))
                {
                    server = s.GetBoolean();
                }

                if (properties.TryGetProperty("System.GC.Concurrent", out var c))
                {
                    concurrent = c.GetBoolean();
                }
            }
        }

        server = Environment.GetEnvironmentVariable("DOTNET_gcServer") is { } env ? env == "1" : server;
        concurrent = Environment.GetEnvironmentVariable("DOTNET_gcConcurrent") is { } envc ? envc == "1" : concurrent;
        return $"{(server ? "server" : "workstation")}, {(concurrent ? "concurrent" : "non-concurrent")}";
    }

    private static string PackageVersion(string module)
    {
        var file = Path.Combine(module, "package.json");
        if (!File.Exists(file))
        {
            return "not installed";
        }

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        return json.RootElement.GetProperty("version").GetString() ?? "unknown";
    }

    /// <summary>The first line a program prints, waiting at most 10 s (a wrong --node could be a server that never exits).</summary>
    private static string Capture(string program, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false })!;
            process.StandardInput.Close();
            var line = process.StandardOutput.ReadLineAsync();
            var answered = line.Wait(TimeSpan.FromSeconds(10));
            if (!process.WaitForExit(TimeSpan.FromSeconds(answered ? 10 : 0)))
            {
                process.Kill(entireProcessTree: true);
            }

            return answered ? line.Result?.Trim() ?? "unknown" : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
