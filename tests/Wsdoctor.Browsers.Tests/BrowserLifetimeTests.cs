using Wsdoctor.Browsers.Tests.Support;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Browsers.Tests;

/// <summary>The browser is a guest: a missing one is a one-line usage error, and a started one never outlives
/// wsdoctor, whether it is interrupted (Ctrl-C) or killed outright.</summary>
public class BrowserLifetimeTests
{
    [Fact]
    public async Task Check_BrowserPathMissing_OneLineAndExit2()
    {
        var run = await WsdoctorProcess.RunAsync(["check", "ws://127.0.0.1:9/", "--browser"], new Dictionary<string, string> { ["WSDOCTOR_CHROMIUM"] = "/nonexistent/chromium" });

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["wsdoctor: error: WSDOCTOR_CHROMIUM=/nonexistent/chromium: no such file"], run.StderrLines);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Check_FirefoxNotInstalled_SaysHowToInstallIt()
    {
        var run = await WsdoctorProcess.RunAsync(["check", "ws://127.0.0.1:9/", "--browser", "firefox"], new Dictionary<string, string> { ["PATH"] = "/nonexistent" });

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains("apt-get install firefox-esr", run.Stderr);
    }

    [Fact]
    public async Task Check_UnknownBrowser_IsAUsageError()
    {
        var run = await WsdoctorProcess.RunAsync("check", "ws://127.0.0.1:9/", "--browser", "netscape");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["wsdoctor: error: --browser takes chromium, firefox or all (got 'netscape')"], run.StderrLines);
    }

    [SkippableTheory]
    [InlineData("chromium", LongRunningProcess.SigInt)]
    [InlineData("chromium", 9)]
    [InlineData("firefox", LongRunningProcess.SigInt)]
    [InlineData("firefox", 9)]
    public async Task Check_StoppedWhileTheBrowserRuns_LeavesNoBrowserBehind(string browser, int signal)
    {
        RealBrowsers.Require(browser);
        // Answers wsdoctor's own check (one connection with --no-probes), then holds every later handshake (the browser's) open.
        var connections = 0;
        await using var server = RawServer.Start(async (stream, ct) =>
        {
            if (Interlocked.Increment(ref connections) == 1)
            {
                await FrameLoop.Upgrade((s, t) => FrameLoop.RunAsync(s, t))(stream, ct);
                return;
            }

            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var check = LongRunningProcess.Start(WsdoctorProcess.DotnetHost,
            [WsdoctorProcess.DllPath, "check", $"ws://127.0.0.1:{server.Port}/", "--browser", browser, "--timeout", "30s", "--no-probes"]);

        var profile = $"wsdoctor-{browser}-";
        await WaitUntilAsync(() => BrowserProcesses(profile).Count > 0, TimeSpan.FromSeconds(60), $"{browser} to start\n{check.Stderr}");
        // The page is open and its WebSocket is waiting when the signal comes.
        await WaitUntilAsync(() => Volatile.Read(ref connections) > 1, TimeSpan.FromSeconds(60), $"{browser}'s handshake");
        check.Signal(signal);

        var exit = await check.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(signal == 9 ? 137 : 130, exit);
        await WaitUntilAsync(() => BrowserProcesses(profile).Count == 0, TimeSpan.FromSeconds(15), $"{browser} to be gone: {string.Join(", ", BrowserProcesses(profile))}");
    }

    /// <summary>Processes whose command line names a throwaway profile of ours.</summary>
    private static List<int> BrowserProcesses(string profilePrefix)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                if (commandLine.Contains(profilePrefix, StringComparison.Ordinal) && !state[(state.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return found;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
