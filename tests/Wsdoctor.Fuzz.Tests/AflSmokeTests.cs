using System.Diagnostics;
using Wsdoctor.Fuzz.Targets;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Fuzz.Tests;

/// <summary>bench/fuzz/run.sh itself for a few seconds per target: the instrumentation, SharpFuzz's fork server
/// under the real afl-fuzz, and the per-target figures it prints. Under CI=true a missing afl-fuzz fails.</summary>
public sealed class AflSmokeTests
{
    private const int SecondsPerTarget = 3;

    [SkippableFact]
    public void RunSh_EveryTargetUnderAfl_ExecutesWithoutCrashOrHang()
    {
        Peers.Require("/usr/bin/afl-fuzz");
        var harness = Path.Combine(Repository.Fuzz, "Wsdoctor.Fuzz", "bin", "Release", "net10.0", "wsdoctor-fuzz.dll");
        Skip.IfNot(File.Exists(harness) || Environment.GetEnvironmentVariable("CI") == "true", $"{harness} is not built (Release)");
        Assert.True(File.Exists(harness), $"{harness} is not built: the test project builds it in Release");
        var output = Path.Combine(Path.GetTempPath(), $"wsdoctor-fuzz-smoke-{Environment.ProcessId}");
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(Repository.Fuzz, "run.sh"), "--no-build", "--seconds", $"{SecondsPerTarget}", "--out", output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            // 13 targets × (3 s + the runtime's start and the seeds' calibration), instrumentation, a loaded machine.
            if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("run.sh did not finish within 8 minutes");
            }

            var printed = stdout.Result;
            // What failed first (a CI log may keep only a message's first lines), then everything run.sh printed.
            Assert.True(process.ExitCode == 0, $"run.sh exited {process.ExitCode}: {string.Join("; ", Failures(printed, stderr.Result))}\n{printed}\n{stderr.Result}");
            var rows = File.ReadAllLines(Path.Combine(output, "summary.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(r => r[0]);
            foreach (var target in FuzzTargets.All)
            {
                Assert.True(rows.TryGetValue(target.Name, out var row), $"{target.Name} missing from the summary\n{printed}");
                Assert.True(long.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{target.Name}: no execution\n{printed}");
                Assert.Equal("0", row[4]);
                Assert.Equal("0", row[5]);
                Assert.Contains(target.Name, printed, StringComparison.Ordinal);
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    /// <summary>The table rows with a crash, a hang or no run, the replayed findings under them (the exception's first
    /// lines), and run.sh's own complaints about an afl-fuzz that did not start.</summary>
    private static IEnumerable<string> Failures(string printed, string stderr)
    {
        foreach (var line in printed.Split('\n'))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var badRow = cells.Length == 7 && cells[0] != "target" && (cells[4] != "0" || cells[5] != "0");
            if (badRow || line.StartsWith("  ", StringComparison.Ordinal) || line.Contains("did not run", StringComparison.Ordinal))
            {
                yield return line.Trim();
            }
        }

        foreach (var line in stderr.Split('\n').Where(l => l.Contains("did not start", StringComparison.Ordinal)))
        {
            yield return line.Trim();
        }
    }
}
