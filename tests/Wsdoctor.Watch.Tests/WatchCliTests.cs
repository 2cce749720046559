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
        // The first open (JIT, connect) counts as down time: on a loaded machine it is a good part of 2 s, so only the
        // arithmetic is pinned, not a level.
        var uptime = summary.GetProperty("uptimePercent").GetDouble();
        Assert.InRange(uptime, 1, 100);
        Assert.Equal(100 * summary.GetProperty("connectedSeconds").GetDouble() / summary.GetProperty("durationSeconds").GetDouble(), uptime, 0.1);
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

    [Theory]
    [InlineData(LongRunningProcess.SigInt, 130)]
    [InlineData(LongRunningProcess.SigTerm, 143)]
    public async Task Watch_Signal_PrintsTheSummaryThenExits128PlusTheSignal(int signal, int expected)
    {
        await using var echo = await KestrelEcho.StartAsync();
        await using var watch = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "watch", $"ws://127.0.0.1:{echo.Port}/", "--ping-interval", "200ms"]);
        await watch.Stdout.WaitForAsync(l => l.Contains("open #1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first open");
        await Task.Delay(700);

        watch.Signal(signal);
        var exit = await watch.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(expected, exit);
        var text = string.Join("\n", watch.Stdout.Lines);
        Assert.Contains("end: interrupted", text, StringComparison.Ordinal);
        Assert.Contains("uptime", text, StringComparison.Ordinal);
        Assert.Contains("pong(s)", text, StringComparison.Ordinal);
        Assert.Equal("wsdoctor: interrupted", Assert.Single(watch.Stderr.Lines));
    }

    [Theory]
    [InlineData(LongRunningProcess.SigInt, 130)]
    [InlineData(LongRunningProcess.SigTerm, 143)]
    public async Task Watch_ScenarioSignal_PrintsTheSummaryJsonThenExits128PlusTheSignal(int signal, int expected)
    {
        await using var echo = await KestrelEcho.StartAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-watch-").FullName, "echo.yaml");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $"""
            target:
              url: ws://127.0.0.1:{echo.Port}/
            steps:
              - send: hello
              - expect: hello
            """));
        await using var watch = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "watch", "--scenario", file, "--every", "300ms", "--jsonl"]);
        await watch.Stdout.WaitForAsync(l => l.Contains("\"event\":\"run\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the first run");

        watch.Signal(signal);
        var exit = await watch.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(expected, exit);
        var summary = JsonDocument.Parse(watch.Stdout.Lines[^1]).RootElement;
        Assert.Equal("summary", summary.GetProperty("event").GetString());
        Assert.True(summary.GetProperty("runs").GetInt32() >= 1);
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

        run.AssertUsageError(expected);
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
        // The pattern and the fix, as watch gives them for drops: check's root cause, with its fix.
        Assert.Contains("✗ tcp.refused  ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("every run failed: the endpoint was down", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("    fix:      ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("wsdoctor explain tcp.refused", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ScenarioAgainstNothing_UnderZhCn_EveryLineIsChinese()
    {
        var port = Peers.FreePort();
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-watch-").FullName, "down.yaml");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $"""
            target:
              url: ws://127.0.0.1:{port}/
              timeout: 2s
            steps:
              - send: hello
            """));

        var run = await WsdoctorProcess.RunAsync("watch", "--scenario", file, "--every", "1s", "--for", "1500ms", "--lang", "zh-CN");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.StdoutLines, l => l.Contains($"第 1 次运行 down：在步骤 \"open ws://127.0.0.1:{port}/\" 失败：tcp.refused：", StringComparison.Ordinal));
        Assert.Contains(run.StdoutLines, l => l.Trim().StartsWith($"✗ tcp.refused（步骤 \"open ws://127.0.0.1:{port}/\"） ×", StringComparison.Ordinal));
        Assert.Contains($"无法连接：127.0.0.1:{port}: ConnectionRefused", run.Stdout, StringComparison.Ordinal);

        // Codes, step labels (identifiers as written), file paths, the explain command and URLs stay as they are.
        var prose = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"wss?://\S+|/tmp/\S+|wsdoctor explain \S+ --lang zh-CN|ss -ltnp", "X");
        Assert.Empty(EnglishProse.Find(prose));
    }

    [Fact]
    public async Task Watch_ScenarioWhileTheServerRestarts_OneOutageThatEnded()
    {
        var port = Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        var serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}"]);
        var file = Path.Combine(Directory.CreateTempSubdirectory("wsdoctor-watch-").FullName, "echo.yaml");
        await File.WriteAllTextAsync(file, $"""
            target:
              url: ws://127.0.0.1:{port}/
              timeout: 2s
            steps:
              - send: hello
              - expect: hello
            """);
        try
        {
            await using var watch = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "watch", "--scenario", file, "--every", "300ms", "--jsonl"]);
            await watch.Stdout.WaitForAsync(l => l.Contains("\"passed\":true", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a passing run");
            await serve.StopAsync(TimeSpan.FromSeconds(15));
            await serve.DisposeAsync();
            await watch.Stdout.WaitForAsync(l => l.Contains("\"passed\":false", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a failing run");
            await Task.Delay(1000);
            serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}"]);
            var back = watch.Stdout.Lines.Count;
            for (var waited = 0; !watch.Stdout.Lines.Skip(back).Any(l => l.Contains("\"passed\":true", StringComparison.Ordinal)); waited += 100)
            {
                Assert.True(waited < 30_000, "no passing run within 30 s of the restart");
                await Task.Delay(100);
            }

            watch.Signal(LongRunningProcess.SigTerm);
            Assert.Equal(143, await watch.WaitForExitAsync(TimeSpan.FromSeconds(20)));

            var summary = JsonDocument.Parse(watch.Stdout.Lines[^1]).RootElement;
            var outage = Assert.Single(summary.GetProperty("outages").EnumerateArray());
            Assert.Equal("tcp.refused", outage.GetProperty("code").GetString());
            Assert.True(outage.GetProperty("untilSeconds").GetDouble() > outage.GetProperty("fromSeconds").GetDouble());
            Assert.True(outage.GetProperty("runs").GetInt32() >= 1);
            var finding = Assert.Single(summary.GetProperty("findings").EnumerateArray());
            Assert.Equal("tcp.refused", finding.GetProperty("code").GetString());
            Assert.Contains(finding.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.StartsWith("one outage of", StringComparison.Ordinal));
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }
}
