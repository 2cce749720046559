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
    string WsVersion,
    IReadOnlyDictionary<string, string> Peers)
{
    public static MachineInfo Collect(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
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
            GcMode(settings.WsdoctorDll),
            Capture(settings.Node, "--version"),
            PackageVersion(settings.WsModule),
            new Dictionary<string, string>
            {
                ["go"] = Capture("go", "version"),
                ["gorilla/websocket"] = Capture("dpkg-query", "-W", "-f=${Version}", "golang-github-gorilla-websocket-dev"),
                ["python"] = Capture(settings.Python, "--version"),
                ["websockets"] = Capture(settings.Python, "-c", "import websockets; print(websockets.__version__)"),
                ["gcc"] = Capture("gcc", "-dumpfullversion"),
                ["artillery"] = PackageVersion(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(settings.Artillery)!)!, "artillery")),
                ["tsung"] = Capture(settings.Tsung, "-v"),
                ["erlang"] = Capture("dpkg-query", "-W", "-f=${Version}", "erlang-base"),
            });
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
    private static string Capture(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
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
