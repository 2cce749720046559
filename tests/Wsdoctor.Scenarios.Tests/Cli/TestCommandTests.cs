using System.Text.Json.Nodes;
using System.Xml.Linq;
using Wsdoctor.Scenarios.Tests.Running;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Scenarios.Tests.Cli;

/// <summary>wsdoctor test as a user runs it: the real executable against the real chat server, with the text, JSON
/// and JUnit reports and the exit codes scripts rely on.</summary>
public sealed class TestCommandTests
{
    private static readonly string File = Path.Combine(AppContext.BaseDirectory, "Files", "chat-ci.yaml");

    private static Dictionary<string, string> Env(int port) => new()
    {
        ["CHAT_URL"] = $"ws://127.0.0.1:{port}/chat",
        ["CHAT_TOKEN"] = "secret",
    };

    [SkippableFact]
    public async Task TextReportShowsEachStepTheFailureAndTheDiagnosis()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var run = await WsdoctorProcess.RunAsync(["test", File], Env(peer.Port));

        Assert.Equal(1, run.ExitCode);
        var lines = run.StdoutLines;
        Assert.Contains(lines, l => l.StartsWith("PASS talks (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL wrong sender (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == $"at {File}:23:9");
        Assert.Contains(lines, l => l.Trim() == "- $.from: expected \"zed\", got \"ann\"");
        Assert.Contains(lines, l => l.Contains("✗ open ws://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim().StartsWith("FAIL http.forbidden", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == "more:     wsdoctor explain http.forbidden");
        Assert.StartsWith("FAILED: 1 of 3 scenarios passed, 2 failed (10 steps passed) in ", lines[^1], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task UnderZhCn_TheReportIsChinese_StepLabelsAndValuesAsWritten()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var env = WsdoctorProcess.Locale("zh_CN.UTF-8");
        foreach (var (key, value) in Env(peer.Port))
        {
            env[key] = value;
        }

        var run = await WsdoctorProcess.RunAsync(["test", File], env);

        Assert.True(run.ExitCode == 1, run.ToString());
        var lines = run.StdoutLines;
        Assert.Contains(lines, l => l.StartsWith("通过 talks (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("失败 wrong sender (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == $"位置 {File}:23:9");
        Assert.Contains(lines, l => l.Trim() == "下一条消息不匹配");
        Assert.Contains(lines, l => l.Trim() == "期望： JSON 包含 {\"from\":\"zed\"}");
        Assert.Contains(lines, l => l.Trim() == "- $.from：期望 \"zed\"，实际为 \"ann\"");
        Assert.Contains(lines, l => l.Trim().StartsWith("服务端回应的是 4", StringComparison.Ordinal) && l.Contains("而不是 101 Switching Protocols", StringComparison.Ordinal));
        Assert.StartsWith("失败：3 个场景中 1 个通过，2 个失败（通过 10 个步骤），用时 ", lines[^1], StringComparison.Ordinal);

        // Step lines (✓ ✗ ·) carry the step's label, an identifier as written in the file (metric labels and JUnit
        // names use it too), and scenario headers carry the scenario's name; every other line is Chinese.
        var prose = lines
            .Where(l => l.TrimStart() is { Length: > 0 } t && !"✓✗·".Contains(t[0], StringComparison.Ordinal) && !t.StartsWith("通过 ", StringComparison.Ordinal) && !t.StartsWith("失败 ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"wss?://\S+", "URL"));
        Assert.Empty(EnglishProse.Find(string.Join('\n', prose)));
    }

    [SkippableFact]
    public async Task ATokenInTheUrlIsRedactedUnlessAskedOtherwise()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var dir = Directory.CreateTempSubdirectory("wsdoctor-redact-");
        try
        {
            var path = Path.Combine(dir.FullName, "s.yaml");
            await System.IO.File.WriteAllTextAsync(path, $"target: {{ url: \"ws://127.0.0.1:{peer.Port}/chat?token=secret\" }}\nsteps:\n  - expect: never\n    timeout: 100ms\n");
            var run = await WsdoctorProcess.RunAsync(["test", path], new Dictionary<string, string>());
            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"open ws://127.0.0.1:{peer.Port}/chat?token=[redacted, 6 chars]", run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", run.Stdout + run.Stderr, StringComparison.Ordinal);
            var shown = await WsdoctorProcess.RunAsync(["test", path, "--show-secrets", "--format", "json"], new Dictionary<string, string>());
            Assert.Contains("?token=secret", shown.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task JunitHasOneCasePerScenarioAndTheFailingStep()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var dir = Directory.CreateTempSubdirectory("wsdoctor-junit-");
        try
        {
            var output = Path.Combine(dir.FullName, "report.xml");
            var run = await WsdoctorProcess.RunAsync(["test", File, "--format", "junit", "--output", output], Env(peer.Port));
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("FAIL wrong sender", run.Stdout, StringComparison.Ordinal);

            Assert.Empty(ReportSchemas.ValidateJunit(await System.IO.File.ReadAllTextAsync(output)));
            var xml = XDocument.Load(output);
            var suites = xml.Root!;
            Assert.Equal("testsuites", suites.Name.LocalName);
            Assert.Equal(("3", "2"), ((string?)suites.Attribute("tests"), (string?)suites.Attribute("failures")));
            var cases = suites.Descendants("testcase").ToList();
            Assert.Equal(["talks", "wrong sender", "without a token"], cases.Select(c => (string?)c.Attribute("name")));
            Assert.Null(cases[0].Element("failure"));
            Assert.Contains("&amp;amp;", await System.IO.File.ReadAllTextAsync(output), StringComparison.Ordinal);
            var failure = cases[1].Element("failure")!;
            Assert.Equal("Mismatch", (string?)failure.Attribute("type"));
            Assert.Equal($"expect JSON containing {{\"from\":\"zed\"}} ({File}:23:9): the next message does not match", (string?)failure.Attribute("message"));
            Assert.Contains("  - $.from: expected \"zed\", got \"ann\"", failure.Value, StringComparison.Ordinal);
            var refused = cases[2].Element("failure")!;
            Assert.Equal("OpenFailed", (string?)refused.Attribute("type"));
            Assert.Contains("root cause: http.forbidden", refused.Value, StringComparison.Ordinal);
            Assert.Equal("23", (string?)cases[1].Attribute("line") is { } line ? "23" : null);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task JsonGoesToStdoutAndTheTextToStderr()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var run = await WsdoctorProcess.RunAsync(["test", File, "--format", "json", "--scenario", "wrong sender", "--scenario", "talks"], Env(peer.Port));

        Assert.Equal(1, run.ExitCode);
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("test", (string?)report["command"]);
        Assert.False((bool)report["passed"]!);
        Assert.Equal(2, (int)report["totals"]!["scenarios"]!);
        var wrong = report["scenarios"]!.AsArray().Single(s => (string?)s!["name"] == "wrong sender")!;
        Assert.Equal("expect JSON containing {\"from\":\"zed\"}", (string?)wrong["failedStep"]);
        var step = wrong["steps"]!.AsArray().Single(s => (string?)s!["status"] == "failed")!;
        Assert.Equal("mismatch", (string?)step["failure"]!["kind"]);
        Assert.Equal(23, (int)step["line"]!);
        Assert.Equal("$.from: expected \"zed\", got \"ann\"", (string?)step["failure"]!["differences"]![0]);
        Assert.Contains("FAIL wrong sender", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("without a token", run.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AllPassingExitsZero()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var run = await WsdoctorProcess.RunAsync(["test", File, "--scenario", "talks"], Env(peer.Port));
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("passed: 1 of 1 scenario passed", run.StdoutLines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target: { url: \"ws://127.0.0.1:1/\" }\nsteps:\n  - sned: hi\n", "bad.yaml:3:5: unknown key 'sned' in a step; did you mean 'send'?")]
    [InlineData("target: { url: \"ws://127.0.0.1:1/\" }\nsteps:\n  - expect: { where: { $.a: 1 }\n", "bad.yaml:4:1: not valid YAML:")]
    public async Task ABadFileIsOneLineWithLineAndColumnAndExitTwo(string yaml, string message)
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-bad-");
        try
        {
            var path = Path.Combine(dir.FullName, "bad.yaml");
            await System.IO.File.WriteAllTextAsync(path, yaml);
            var run = await WsdoctorProcess.RunAsync(["test", path], new Dictionary<string, string>());
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.StderrLines);
            Assert.StartsWith($"wsdoctor: error: {dir.FullName}/{message}", line, StringComparison.Ordinal);
            Assert.Empty(run.Stdout);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UsageErrorsAreOneLine()
    {
        var missing = await WsdoctorProcess.RunAsync(["test", "/nonexistent/x.yaml"], new Dictionary<string, string>());
        Assert.Equal((2, "wsdoctor: error: /nonexistent/x.yaml: no such file"), (missing.ExitCode, missing.Stderr.Trim()));
        var format = await WsdoctorProcess.RunAsync(["test", File, "--format", "xml"], new Dictionary<string, string> { ["CHAT_URL"] = "ws://127.0.0.1:1/", ["CHAT_TOKEN"] = "x" });
        Assert.Equal((2, "wsdoctor: error: --format takes text, json or junit (got 'xml')"), (format.ExitCode, format.Stderr.Trim()));
        var unknown = await WsdoctorProcess.RunAsync(["test", File, "--scenario", "nope"], new Dictionary<string, string> { ["CHAT_URL"] = "ws://127.0.0.1:1/", ["CHAT_TOKEN"] = "x" });
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("wsdoctor: error: --scenario: no scenario is named 'nope' (there are: 'talks', 'wrong sender', 'without a token')", unknown.Stderr, StringComparison.Ordinal);
        var env = await WsdoctorProcess.RunAsync(["test", File], new Dictionary<string, string>());
        Assert.Equal(2, env.ExitCode);
        Assert.Contains("chat-ci.yaml:5:8: url: the environment variable CHAT_URL is not set", env.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListShowsTheScenariosWithoutConnecting()
    {
        var run = await WsdoctorProcess.RunAsync(["test", File, "--list", "--var", "user=bob"], new Dictionary<string, string> { ["CHAT_URL"] = "ws://127.0.0.1:1/chat", ["CHAT_TOKEN"] = "x" });
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            $"{File}:11: talks (4 steps, ws://127.0.0.1:1/chat)",
            $"{File}:18: wrong sender (4 steps, ws://127.0.0.1:1/chat)",
            $"{File}:25: without a token (1 steps, ws://127.0.0.1:1/chat)",
        ], run.StdoutLines);
    }
}
