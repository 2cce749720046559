using Wsdoctor.TestPeers;

namespace Wsdoctor.Native.Tests;

/// <summary>Runs build steps (dotnet publish, pack, tool install) and installed commands with a bound.</summary>
internal static class Builds
{
    /// <summary>The repository root: the directory holding wsdoctor.slnx, above the test assembly.</summary>
    public static string Root => Repository.Root;

    public static string Dotnet => WsdoctorProcess.DotnetHost;

    /// <summary>Runs it and fails unless it exits 0.</summary>
    public static async Task<CliRun> RunOkAsync(string program, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var run = await RunAsync(program, args, timeout, environment);
        return run.ExitCode == 0 ? run : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed:\n{run}");
    }

    /// <summary>Runs any program (absolute paths in the arguments) with the tests' hygiene and a bound.</summary>
    public static Task<CliRun> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        WsdoctorProcess.RunProcessAsync(program, args, environment ?? new Dictionary<string, string>(), timeout: timeout);
}
