using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Cli.Tests.Check;

/// <summary><c>check --targets FILE</c> end to end: per-line options, one combined report in every format, the exit
/// code, the parallel bound, and the one-line errors naming the file and line.</summary>
public sealed class CheckTargetsTests
{
    [Fact]
    public async Task Targets_PerLineOptionsApplyAndOneFailureFailsTheRun()
    {
        await using var server = await KestrelEcho.StartAsync(allowedOrigins: ["https://app.example"]);
        using var dir = new TargetsDirectory();
        var refused = Peers.FreePort();
        var file = dir.Write("targets.txt", $"""
            # staging endpoints
            ws://127.0.0.1:{server.Port}/ws --origin https://app.example

            ws://127.0.0.1:{server.Port}/ws --origin 'https://evil.example'
              ws://127.0.0.1:{refused}/ --timeout 2s
            """);

        var text = await WsdoctorProcess.RunAsync("check", "--targets", file);
        var json = await WsdoctorProcess.RunAsync("check", "--targets", file, "--format", "json");

        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Equal($"── [1/3] {file}:2", text.StdoutLines[0]);
        Assert.Contains($"── [2/3] {file}:4", text.StdoutLines);
        Assert.Contains($"── [3/3] {file}:5", text.StdoutLines);
        Assert.Contains(text.StdoutLines, l => l.Contains($"{file}:4", StringComparison.Ordinal) && l.Contains("FAIL", StringComparison.Ordinal) && l.Contains("http.forbidden-origin", StringComparison.Ordinal));
        Assert.Contains(text.StdoutLines, l => l.Contains($"{file}:5", StringComparison.Ordinal) && l.Contains("tcp.refused", StringComparison.Ordinal));
        Assert.StartsWith("FAIL 3 targets: 1 ok, 0 warn, 2 fail in ", text.StdoutLines[^1], StringComparison.Ordinal);

        Assert.True(json.ExitCode == 1, json.ToString());
        var root = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal("fail", root.GetProperty("verdict").GetString());
        Assert.Equal(file, root.GetProperty("targetsFile").GetString());
        var targets = root.GetProperty("targets").EnumerateArray().ToArray();
        Assert.Equal([$"{file}:2", $"{file}:4", $"{file}:5"], targets.Select(t => t.GetProperty("source").GetString()));
        Assert.Equal(["ok", "fail", "fail"], targets.Select(t => t.GetProperty("report").GetProperty("verdict").GetString()));
        Assert.Equal("http.forbidden-origin", targets[1].GetProperty("report").GetProperty("rootCause").GetProperty("code").GetString());
        Assert.Equal((1, 0, 2), (root.GetProperty("summary").GetProperty("ok").GetInt32(), root.GetProperty("summary").GetProperty("warn").GetInt32(), root.GetProperty("summary").GetProperty("fail").GetInt32()));
    }

    [Fact]
    public async Task Targets_AllHealthy_Exit0AndJunitHasOneSuitePerTarget()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var dir = new TargetsDirectory();
        var file = dir.Write("targets.txt", $"ws://127.0.0.1:{server.Port}/ws\nws://127.0.0.1:{server.Port}/ws --observe 100ms\n");
        var output = Path.Combine(dir.Path, "report.xml");

        var run = await WsdoctorProcess.RunAsync("check", "--targets", file, "--format", "junit", "--output", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("OK 2 targets: 2 ok, 0 warn, 0 fail", run.StdoutLines[^1], StringComparison.Ordinal);
        var xml = await File.ReadAllTextAsync(output);
        Assert.Empty(ReportSchemas.ValidateJunit(xml));
        var suites = XDocument.Parse(xml).Root!.Elements("testsuite").ToArray();
        Assert.Equal([$"ws://127.0.0.1:{server.Port}/ws ({file}:1)", $"ws://127.0.0.1:{server.Port}/ws ({file}:2)"], suites.Select(s => (string?)s.Attribute("name")));
        Assert.All(suites, s => Assert.Equal("9", (string?)s.Attribute("tests")));
        Assert.Empty(suites.Descendants("failure"));
    }

    [Fact]
    public async Task Targets_CommandLineOptionsApplyToLinesThatDoNotSetThem()
    {
        await using var server = await KestrelEcho.StartAsync(allowedOrigins: ["https://app.example"]);
        using var dir = new TargetsDirectory();
        var file = dir.Write("targets.txt", $"ws://127.0.0.1:{server.Port}/ws\nws://127.0.0.1:{server.Port}/ws --origin https://other.example\n");

        var run = await WsdoctorProcess.RunAsync("check", "--targets", file, "--origin", "https://app.example", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        var verdicts = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("report").GetProperty("verdict").GetString());
        Assert.Equal(["ok", "fail"], verdicts);
    }

    [Fact]
    public async Task Targets_SarifAndSecrets_OneRunRedacted()
    {
        await using var server = await KestrelEcho.StartAsync();
        using var dir = new TargetsDirectory();
        const string secret = "line-secret-5a8e2c91";
        var file = dir.Write("targets.txt", $"ws://127.0.0.1:{server.Port}/ws --header \"Authorization: Bearer {secret}\"\nws://127.0.0.1:{Peers.FreePort()}/\n");

        var sarif = await WsdoctorProcess.RunAsync("check", "--targets", file, "--format", "sarif");
        var junit = await WsdoctorProcess.RunAsync("check", "--targets", file, "--format", "junit");

        Assert.True(sarif.ExitCode == 1, sarif.ToString());
        Assert.Empty(ReportSchemas.ValidateSarif(sarif.Stdout));
        var results = JsonDocument.Parse(sarif.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToArray();
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "tcp.refused" && r.GetProperty("properties").GetProperty("source").GetString() == $"{file}:2");
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "auth.header-unavailable-in-browser");
        Assert.DoesNotContain(secret, sarif.Stdout, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer [redacted, ", junit.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, junit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_ParallelBound_HoldsAtMostNChecksAtOnce()
    {
        // Each check against the silent server waits out its 1 s timeout: one at a time, four take at least 4 s; the
        // lower bounds come from the timeouts themselves, so a slow machine only makes the runs longer.
        await using var silent = new SilentServer();
        using var dir = new TargetsDirectory();
        var file = dir.Write("targets.txt", string.Concat(Enumerable.Repeat($"ws://127.0.0.1:{silent.Port}/ --timeout 1s --no-probes\n", 4)));

        var clock = Stopwatch.StartNew();
        var all = await WsdoctorProcess.RunAsync("check", "--targets", file, "--parallel", "4", "--json");
        var atOnce = silent.MaxOpen;
        clock.Restart();
        var two = await WsdoctorProcess.RunAsync("check", "--targets", file, "--parallel", "2", "--json");
        var twoElapsed = clock.Elapsed;

        Assert.True(all.ExitCode == 1, all.ToString());
        Assert.Equal(4, JsonDocument.Parse(all.Stdout).RootElement.GetProperty("summary").GetProperty("fail").GetInt32());
        Assert.True(atOnce >= 4, $"--parallel 4 held at most {atOnce} connections at once");
        Assert.True(two.ExitCode == 1, two.ToString());
        Assert.True(twoElapsed >= TimeSpan.FromSeconds(2), $"--parallel 2 ran four 1 s checks in {twoElapsed}");
    }

    [Theory]
    [InlineData("ws://127.0.0.1:1/ --bogus\n", ":1: unknown option '--bogus'")]
    [InlineData("# header\n\nws://127.0.0.1:1/ --format json\n", ":3: --format applies to the whole run; give it on the command line, not on a line")]
    [InlineData("ws://127.0.0.1:1/ -H \"Authorization: x\n", ":1: unterminated \" quote")]
    [InlineData("ws://127.0.0.1:1/ ws://127.0.0.1:2/\n", ":1: unexpected word 'ws://127.0.0.1:2/' (one URL per line)")]
    [InlineData("ws://127.0.0.1:1/ --timeout soon\n", ":1: --timeout")]
    [InlineData("# nothing\n\n", ": no targets (one URL per line; # starts a comment)")]
    [InlineData("ws://127.0.0.1:1/\nws://127.0.0.1:1/ --ca /nonexistent/ca.pem\n", ":2: --ca: file not found: /nonexistent/ca.pem")]
    public async Task Targets_BadLine_OneLineNamingFileAndLineExit2(string content, string expected)
    {
        using var dir = new TargetsDirectory();
        var file = dir.Write("targets.txt", content);

        var run = await WsdoctorProcess.RunAsync("check", "--targets", file);

        Assert.StartsWith($"wsdoctor: error: {file}{expected}", run.AssertUsageError(expected), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }
}
