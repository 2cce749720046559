using System.Text.Json.Nodes;
using Wsdoctor.Scenarios.Tests.Running;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Scenarios.Tests.Cli;

/// <summary>bench --scenario: the same scenario file as a load test against the real Python websockets JSON-RPC
/// server, with a latency histogram per step and failures named after the step.</summary>
public sealed class BenchScenarioTests
{
    private static async Task<string> WriteAsync(DirectoryInfo dir, string yaml)
    {
        var path = Path.Combine(dir.FullName, "load.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    [SkippableFact]
    public async Task EachStepGetsItsHistogramAndEveryExchangePasses()
    {
        using var peer = await ScenarioPeer.JsonRpcAsync();
        var dir = Directory.CreateTempSubdirectory("wsdoctor-bench-scn-");
        try
        {
            var path = await WriteAsync(dir, $$$"""
                target: { url: "ws://127.0.0.1:{{{peer.Port}}}/", timeout: 2s }
                flows:
                  twice:
                    - repeat: 2
                      steps:
                        - name: echo
                          send: { json: { jsonrpc: "2.0", method: echo, params: ["{{iteration}}"], id: 0 } }
                        - name: echo result
                          expect: { where: { $.result: "{{iteration}}" } }
                steps:
                  - name: add
                    send: { json: { jsonrpc: "2.0", method: add, params: ["{{seq}}", 1], id: "{{seq}}" } }
                  - name: add result
                    expect: { where: { $.id: "{{seq}}" } }
                    capture: { sum: $.result }
                  - call: twice
                """);
            var run = await WsdoctorProcess.RunAsync(["bench", "--scenario", path, "-c", "2", "-d", "1s", "--warmup", "0", "-q", "--json"], new Dictionary<string, string>());
            Assert.True(run.ExitCode == 0, run.ToString());
            var report = JsonNode.Parse(run.Stdout)!;
            Assert.Empty(report["errors"]!.AsArray());
            Assert.StartsWith("scenario 'load' (", (string?)report["settings"]!["conversation"], StringComparison.Ordinal);
            var steps = report["steps"]!.AsArray().Select(s => (string?)s!["name"]).ToList();
            Assert.Equal(["add", "add result", "call twice", "repeat 2x", "echo", "echo result"], steps);
            var exchanges = (long)report["messages"]!["totalExchanges"]!;
            Assert.True(exchanges > 10, $"{exchanges} exchanges");
            // Each exchange runs echo twice: its histogram holds twice as many values as add's.
            var counts = report["steps"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (long)s!["latency"]!["microseconds"]!["count"]!);
            Assert.InRange(counts["echo"] / (double)counts["add"], 1.8, 2.2);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task AFailingStepIsAnErrorNamedAfterIt()
    {
        using var peer = await ScenarioPeer.JsonRpcAsync();
        var dir = Directory.CreateTempSubdirectory("wsdoctor-bench-scn-");
        try
        {
            var path = await WriteAsync(dir, $$$"""
                target: { url: "ws://127.0.0.1:{{{peer.Port}}}/", timeout: 2s }
                steps:
                  - send: { json: { jsonrpc: "2.0", method: add, params: [1, 1], id: 1 } }
                  - name: wrong sum
                    expect: { where: { $.result: 3 } }
                """);
            var run = await WsdoctorProcess.RunAsync(["bench", "--scenario", path, "-c", "1", "-d", "1s", "--warmup", "0", "-q", "--json", "--max-error-rate", "0"], new Dictionary<string, string>());
            Assert.Equal(1, run.ExitCode);
            var error = JsonNode.Parse(run.Stdout)!["errors"]!.AsArray()[0]!;
            Assert.Equal("session.echo-mismatch", (string?)error["code"]);
            Assert.Equal("step wrong sum: mismatch", (string?)error["detail"]);
            Assert.Contains("load.yaml:4:5: the next message does not match: $.result == 3 does not hold: $.result is 2", (string?)error["sample"], StringComparison.Ordinal);

            // The text report under zh-CN says it in Chinese (the JSON above keeps the English).
            var zh = await WsdoctorProcess.RunAsync(["bench", "--scenario", path, "-c", "1", "-d", "1s", "--warmup", "0", "-q", "--max-error-rate", "0"], WsdoctorProcess.Locale("zh_CN.UTF-8"));
            var line = Assert.Single(zh.StdoutLines, l => l.Contains("session.echo-mismatch step wrong sum: mismatch，消息阶段：", StringComparison.Ordinal));
            Assert.Contains("load.yaml:4:5：下一条消息不匹配：", line, StringComparison.Ordinal);
            Assert.DoesNotContain("the next message does not match", zh.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("target: { url: \"ws://127.0.0.1:1/\" }\nsteps:\n  - ping: x\n", "--scenario: ", "load.yaml:3:5: ping steps do not run under bench")]
    [InlineData("target: { url: \"ws://127.0.0.1:1/\" }\nscenarios:\n  - { name: a, steps: [ { send: x } ] }\n  - { name: b, steps: [ { send: y } ] }\n", "--scenario: ", "has 2 scenarios; choose one with --scenario-name ('a', 'b')")]
    public async Task ScenariosBenchCannotPlayAreRefusedUpFront(string yaml, string prefix, string message)
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-bench-scn-");
        try
        {
            var path = await WriteAsync(dir, yaml);
            var run = await WsdoctorProcess.RunAsync(["bench", "--scenario", path, "-d", "1s"], new Dictionary<string, string>());
            Assert.Equal(2, run.ExitCode);
            var line = Assert.Single(run.StderrLines);
            Assert.StartsWith($"wsdoctor: error: {prefix}", line, StringComparison.Ordinal);
            Assert.Contains(message, line, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task EchoOptionsAndConnectionOptionsBelongToTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("wsdoctor-bench-scn-");
        try
        {
            var path = await WriteAsync(dir, "target: { url: \"ws://127.0.0.1:1/\" }\nsteps:\n  - send: x\n");
            var size = await WsdoctorProcess.RunAsync(["bench", "--scenario", path, "--size", "4k"], new Dictionary<string, string>());
            Assert.Equal((2, "wsdoctor: error: --size describes the echo exchange; with --scenario the scenario's steps say what is sent and expected"), (size.ExitCode, size.Stderr.Trim()));
            var header = await WsdoctorProcess.RunAsync(["bench", "--scenario", path, "-H", "X-A: 1"], new Dictionary<string, string>());
            Assert.Equal(2, header.ExitCode);
            Assert.Contains("with --scenario the connection options come from the scenario's target:", header.Stderr, StringComparison.Ordinal);
            var none = await WsdoctorProcess.RunAsync(["bench"], new Dictionary<string, string>());
            Assert.Equal((2, "wsdoctor: error: bench needs a URL, or --scenario FILE whose target gives one"), (none.ExitCode, none.Stderr.Trim()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
