using Xunit;
using System.Diagnostics;
using System.Text;

namespace Wsdoctor.TestPeers;

/// <summary>What one run of the real executable printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Lines(Stdout);

    public string[] StderrLines => Lines(Stderr);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Asserts what bad input must give: exit 2 and a single "wsdoctor: error: …" line on stderr that says
    /// <paramref name="says"/>; returns that line.</summary>
    public string AssertUsageError(string says)
    {
        Assert.True(ExitCode == 2, ToString());
        var line = Assert.Single(StderrLines);
        Assert.StartsWith("wsdoctor: error: ", line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
        return line;
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}

/// <summary>Runs wsdoctor.dll (copied next to this test assembly by the project reference) as a child process, as a
/// user or a script does: stdin closed, output redirected, no colour variables inherited, proxies cleared (the
/// targets are loopback), and killed with its children if it outlives the timeout.</summary>
public static class WsdoctorProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "wsdoctor.dll");

    /// <summary>An environment with the locale set to <paramref name="lang"/> whatever the test machine has: LANG, with
    /// LC_ALL and LC_MESSAGES emptied (they would win over it).</summary>
    public static Dictionary<string, string> Locale(string lang) =>
        new() { ["LC_ALL"] = "", ["LC_MESSAGES"] = "", ["LANG"] = lang };

    /// <summary>The dotnet host running these tests (set by `dotnet test`), so the child uses the same runtime.</summary>
    public static string DotnetHost { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(args, new Dictionary<string, string>());

    public static Task<CliRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        RunProcessAsync(DotnetHost, [DllPath, .. args], environment);

    /// <summary>wsdoctor with <paramref name="stdin"/> written to its standard input, then closed.</summary>
    public static Task<CliRun> RunWithStdinAsync(IEnumerable<string> args, string stdin) =>
        RunProcessAsync(DotnetHost, [DllPath, .. args], new Dictionary<string, string>(), stdin);

    /// <summary>Runs any program with the same hygiene (used to run wsdoctor under script(1) for a terminal).</summary>
    public static async Task<CliRun> RunProcessAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? stdin = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        Assert.True(File.Exists(DllPath), $"{DllPath} is missing: the Cli project reference should copy it next to the tests");
        var start = ChildProcess.StartInfo(program, args, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            using var reaped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(reaped.Token);
            Assert.Fail($"{program} {string.Join(' ', args)} did not exit within {limit.TotalSeconds:0} s\n{await stdout}\n{await stderr}");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
