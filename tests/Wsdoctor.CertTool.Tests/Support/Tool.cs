using System.Diagnostics;
using Wsdoctor.TestPeers;

namespace Wsdoctor.CertTool.Tests.Support;

/// <summary>Runs a third-party program to its end (openssl, curl, node, python, certutil), bounded in time.</summary>
public static class Tool
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<CliRun> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = ChildProcess.StartInfo(program, args, environment);
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not end within {Limit.TotalSeconds:0} s");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts exit 0, returning stdout.</summary>
    public static async Task<string> OkAsync(string program, params string[] args)
    {
        var run = await RunAsync(program, args);
        Assert.True(run.ExitCode == 0, $"{program} {string.Join(' ', args)}\n{run}");
        return run.Stdout;
    }

    public static string OpenSsl => Peers.Require("/usr/bin/openssl");
}
