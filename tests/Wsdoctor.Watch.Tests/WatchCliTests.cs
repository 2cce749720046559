using System.Globalization;
using System.Text.Json;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Watch.Tests;

/// <summary>The real wsdoctor watch as a user runs it: --jsonl events, the text summary, Ctrl-C, bad input, secrets.</summary>
public sealed class WatchCliTests
{
    [Fact]
    public async Task Watch_Jsonl_EveryEventIsJsonAndTheSummaryComesLast()
    {
        await using var echo = await KestrelEcho.StartAsync();

        var run = await WsdoctorProcess.RunAsync("watch", $"ws://127.0.0.1:{echo.Port}/", "--for", "2s", "--ping-interval", "300ms", "--send", "hello", "--every", "500ms", "--jsonl");

        Assert.Equal(0, run.ExitCode);
        var events = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal("open", events[0].GetProperty("event").GetString());
        Assert.Equal("summary", events[^1].GetProperty("event").GetString());
        Assert.Equal("end", events[^2].GetProperty("event").GetString());
        Assert.True(events.Count(e => e.GetProperty("event").GetString() == "pong") >= 4, run.ToString());
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "message" && e.GetProperty("dir").GetString() == "in" && e.GetProperty("text").GetString() == "hello");
        var summary = events[^1];
        Assert.Equal(0, summary.GetProperty("drops").GetInt32());
        Assert.True(summary.GetProperty("rttMs").GetProperty("count").GetInt32() >= 4);
        Assert.InRange(summary.GetProperty("uptimePercent").GetDouble(), 80, 100);
    }

    [Fact]
    public async Task Watch_TokenInQueryAndOption_NeverPrinted()
    {
        await using var echo = await KestrelEcho.StartAsync();

        var run = await WsdoctorProcess.RunAsync("watch", $"ws://127.0.0.1:{echo.Port}/?access_token=QUERYSECRET", "--token", "OPTIONSECRET", "--for", "1s");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("watching ws://127.0.0.1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("access_token=", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("QUERYSECRET", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("OPTIONSECRET", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Contains("OK ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_CtrlC_PrintsTheSummaryAndExits130()
    {
        await using var echo = await KestrelEcho.StartAsync();
        await using var watch = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "watch", $"ws://127.0.0.1:{echo.Port}/", "--ping-interval", "200ms"]);
        await watch.Stdout.WaitForAsync(l => l.Contains("open #1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first open");
        await Task.Delay(700);

        watch.Signal(LongRunningProcess.SigInt);
        var exit = await watch.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(130, exit);
        var text = string.Join("\n", watch.Stdout.Lines);
        Assert.Contains("end: interrupted", text, StringComparison.Ordinal);
        Assert.Contains("uptime", text, StringComparison.Ordinal);
        Assert.Contains("pong(s)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("watch", "give a ws:// or wss:// URL")]
    [InlineData("watch ws://127.0.0.1:1/ --for soon", "--for takes a duration")]
    [InlineData("watch http://127.0.0.1:1/", "use ws://127.0.0.1:1/")]
    [InlineData("watch ws://127.0.0.1:1/ --send hi", "--send and --every go together")]
    [InlineData("watch ws://127.0.0.1:1/ --ping-timeout 1s", "--ping-timeout needs --ping-interval")]
    [InlineData("watch --scenario /nonexistent/file.yaml", "no such file")]
    [InlineData("watch ws://127.0.0.1:1/ --ca /nonexistent/ca.pem --for 1s", "ca.pem")]
    public async Task Watch_BadInput_OneLineAndExit2(string command, string expected)
    {
        var run = await WsdoctorProcess.RunAsync(command.Split(' '));

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("wsdoctor: error:", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Scenario_RunsTheFileEveryIntervalWithStepDurations()
    {
        await using var echo = await KestrelEcho.StartAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-watch-").FullName, "echo.yaml");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $"""
            name: echo
            target:
              url: ws://127.0.0.1:{echo.Port}/
              timeout: 2s
            steps:
              - send: hello
              - expect: hello
            """));

        var run = await WsdoctorProcess.RunAsync("watch", "--scenario", file, "--every", "500ms", "--for", "2200ms", "--jsonl");

        Assert.Equal(0, run.ExitCode);
        var lines = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var runs = lines.Where(l => l.GetProperty("event").GetString() == "run").ToArray();
        Assert.InRange(runs.Length, 3, 6);
        Assert.All(runs, r => Assert.True(r.GetProperty("passed").GetBoolean()));
        Assert.Contains(runs[0].GetProperty("steps").EnumerateArray(), s => s.GetProperty("kind").GetString() == "expect" && s.GetProperty("ms").GetDouble() >= 0);
        var summary = lines[^1];
        Assert.Equal(100, summary.GetProperty("availabilityPercent").GetDouble());
        Assert.Equal(runs.Length, summary.GetProperty("runs").GetInt32());
    }

    [Fact]
    public async Task Watch_ScenarioAgainstNothing_FailsWithTheRootCause()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-watch-").FullName, "down.yaml");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $"""
            target:
              url: ws://127.0.0.1:{Peers.FreePort()}/
              timeout: 2s
            steps:
              - send: hello
            """));

        var run = await WsdoctorProcess.RunAsync("watch", "--scenario", file, "--every", "1s", "--for", "1500ms");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("tcp.refused", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL", run.Stdout, StringComparison.Ordinal);
    }
}
