using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Scenarios.Loading;
using Wsdoctor.Scenarios.Model;
using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Scenarios.Tests.Running;

/// <summary>Scenarios played against real servers: a Node ws chat server and a Python websockets JSON-RPC server,
/// passing, and failing at each kind of step with the report's exact words.</summary>
public sealed class RunnerTests
{
    private static ScenarioFile Load(string yaml, int port) =>
        ScenarioLoader.Parse(yaml.Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), "chat.yaml", Path.GetTempPath(), _ => null);

    private static async Task<ScenarioResult> RunAsync(ScenarioFile file, int index = 0, RunOptions? options = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await ScenarioRunner.RunAsync(file.Scenarios[index], file, options ?? new RunOptions(), limit.Token);
    }

    private const string Chat = """
        target:
          url: ws://127.0.0.1:PORT/chat?token=secret
          timeout: 2s
        vars: { room: lobby, user: ann }
        flows:
          join:
            - send: { json: { type: join, room: "{{room}}", user: "{{user}}" } }
            - name: joined
              expect:
                where:
                  $.type: joined
                  $.members: { contains: "{{user}}" }
              capture: { me: $.id }
        """;

    [SkippableFact]
    public async Task AWholeConversationPasses()
    {
        using var peer = await ScenarioPeer.ChatAsync(heartbeatMs: 100);
        var file = Load(Chat + """

            steps:
              - call: join
              - send: { json: { type: say, text: "I am {{me}}" } }
              - expect:
                  json: { type: message, from: ann }
                  where: { $.text: { regex: "^I am \\d+$" } }
              - send: { json: { type: history } }
              - expect: { where: { $.type: history, $.count: 3 } }
                ignore-others: true
              - ping: check
              - expect-pong:
              - expect-ping:
              - repeat: 2
                steps:
                  - send: { json: { type: say, text: "n{{iteration}}" } }
                  - expect: { where: { $.text: "n{{iteration}}" } }
            """, peer.Port);
        var observer = new RecordingObserver();
        var result = await RunAsync(file, options: new RunOptions { Observer = observer });

        Assert.True(result.Passed, Describe(result));
        Assert.Equal(
        [
            "open", "call", "send", "expect", "send", "expect", "send", "expect", "ping", "expect-pong", "expect-ping", "repeat", "send", "expect", "close",
        ], result.Steps.Select(s => s.Kind));
        Assert.Contains("after skipping 3 other", result.Steps[7].Detail, StringComparison.Ordinal);
        Assert.Equal("2 iterations", result.Steps[11].Detail);
        Assert.Equal("the server answered with 1000", result.Steps[^1].Detail);
        Assert.Equal("ws://127.0.0.1:" + peer.Port + "/chat?token=[redacted, 6 chars]", result.Url);
        Assert.Equal(101, result.Connection!.StatusCode);
        // The bench seam: every step ran through the observer, repeats counted per iteration.
        Assert.Equal(2, observer.Ended.Count(e => e.Label == "send {\"type\":\"say\",\"text\":\"n{{iteration}}\"}"));
        Assert.All(observer.Ended, e => Assert.True(e.Passed));
    }

    [SkippableFact]
    public async Task AWrongFieldFailsWithThePathAndBothValues()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var file = Load(Chat + """

            steps:
              - call: join
                with: { user: bob }
              - send: { json: { type: say, text: hi } }
              - expect: { json: { type: message, from: alice, text: hi } }
              - send: never
            """, peer.Port);
        var result = await RunAsync(file);

        Assert.False(result.Passed);
        var step = result.FailedStep!;
        Assert.Equal("expect JSON containing {\"type\":\"message\",\"from\":\"alice\",\"text\":\"hi\"}", step.Label);
        Assert.Equal((18, 5), (step.Mark.Line, step.Mark.Column));
        Assert.Equal(FailureKind.Mismatch, step.Failure!.Kind);
        Assert.Equal("the next message does not match", step.Failure.Message);
        Assert.StartsWith("{\"type\":\"message\",\"from\":\"bob\",\"text\":\"hi\",\"seq\":", step.Failure.Actual, StringComparison.Ordinal);
        Assert.Equal(["$.from: expected \"alice\", got \"bob\""], step.Failure.Differences.Select(t => t.En));
        Assert.Equal("下一条消息不匹配", step.Failure.Message.Zh);
        Assert.Equal(StepStatus.NotRun, result.Steps[^1].Status);
        Assert.Null(result.Diagnosis);
    }

    [SkippableFact]
    public async Task AnExpectThatGetsNothingTimesOutOnTime()
    {
        using var peer = await ScenarioPeer.JsonRpcAsync();
        var file = Load("""
            target: { url: "ws://127.0.0.1:PORT/" }
            steps:
              - send: { json: { jsonrpc: "2.0", method: slow, params: [3], id: 1 } }
              - expect: { where: { $.result: done } }
                timeout: 300ms
            """, peer.Port);
        var result = await RunAsync(file);

        var step = result.FailedStep!;
        Assert.Equal(FailureKind.Timeout, step.Failure!.Kind);
        Assert.Equal("nothing matching arrived within 300ms; no message arrived", step.Failure.Message);
        Assert.InRange(step.Duration.TotalMilliseconds, 290, 2000);
    }

    [SkippableFact]
    public async Task AServerCloseInTheMiddleIsExplainedByItsCode()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var file = Load(Chat + """

            steps:
              - call: join
              - send: { json: { type: kick } }
              - expect: { where: { $.type: message } }
            """, peer.Port);
        var result = await RunAsync(file);

        var failure = result.Failure!;
        Assert.Equal(FailureKind.ClosedByServer, failure.Kind);
        Assert.Equal(1008, failure.CloseCode);
        Assert.Equal("the server closed the connection with 1008 \"kicked by admin\" before $.type == \"message\" arrived", failure.Message);
        Assert.StartsWith("closed by the server: 1008 Policy Violation \"kicked by admin\"", failure.CloseLines[0], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ADropIsA1006AndIsDiagnosed()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var file = Load(Chat + """

            steps:
              - send: { json: { type: drop } }
              - expect: anything
            """, peer.Port);
        var diagnosed = 0;
        var result = await RunAsync(file, options: new RunOptions
        {
            Diagnose = async (check, ct) =>
            {
                Interlocked.Increment(ref diagnosed);
                return await CheckRunner.RunAsync(check, ct);
            },
        });

        var failure = result.Failure!;
        Assert.Equal(FailureKind.Dropped, failure.Kind);
        Assert.StartsWith("the connection was lost before text \"anything\" arrived", failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("connection lost: 1006", failure.CloseLines[0], StringComparison.Ordinal);
        Assert.Equal(1, diagnosed);
        Assert.NotNull(result.Diagnosis);
    }

    [SkippableFact]
    public async Task A403AtOpenIsDiagnosedWithItsRootCause()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var file = Load("""
            target: { url: "ws://127.0.0.1:PORT/chat" }
            steps:
              - send: hello
            """, peer.Port);
        var result = await RunAsync(file, options: new RunOptions { Diagnose = CheckRunner.RunAsync });

        Assert.Equal(["open", "send"], result.Steps.Select(s => s.Kind));
        Assert.Equal(StepStatus.NotRun, result.Steps[1].Status);
        var failure = result.Failure!;
        Assert.Equal(FailureKind.OpenFailed, failure.Kind);
        Assert.Equal(403, failure.HttpStatus);
        Assert.Equal("the server answered 403 Forbidden instead of 101 Switching Protocols", failure.Message);
        Assert.Equal("http.forbidden", result.Diagnosis!.RootCause!.Code);
    }

    [SkippableFact]
    public async Task ExpectRejectPassesOnTheRightStatusAndFailsOnAnyOther()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var file = Load("""
            target: { url: "ws://127.0.0.1:PORT/chat?token=expired" }
            scenarios:
              - name: right
                expect-reject: 401
              - name: wrong status
                expect-reject: 403
              - name: accepted
                target: { url: "ws://127.0.0.1:PORT/chat?token=secret" }
                expect-reject:
            """, peer.Port);

        Assert.True((await RunAsync(file, 0)).Passed);
        var wrong = (await RunAsync(file, 1)).Failure!;
        Assert.Equal(FailureKind.RejectMismatch, wrong.Kind);
        Assert.Equal("the server refused with 401, not 403", wrong.Message);
        var accepted = (await RunAsync(file, 2)).Failure!;
        Assert.Equal("the server accepted the upgrade (101 Switching Protocols); a refusal was expected", accepted.Message);
    }

    [SkippableFact]
    public async Task ExpectCloseChecksCodeAndReason()
    {
        using var peer = await ScenarioPeer.ChatAsync();
        var file = Load(Chat + """

            scenarios:
              - name: right
                steps:
                  - send: { json: { type: bye } }
                  - expect-close: { code: 4000, reason: bye }
              - name: wrong
                steps:
                  - send: { json: { type: bye } }
                  - expect-close: { code: 1000, reason-regex: "^see you" }
            """, peer.Port);

        var right = await RunAsync(file, 0);
        Assert.True(right.Passed, Describe(right));
        Assert.Equal("closed with 4000 \"bye\"", right.Steps[2].Detail);
        var wrong = (await RunAsync(file, 1)).Failure!;
        Assert.Equal(FailureKind.Mismatch, wrong.Kind);
        Assert.Equal(["the code is 4000, not 1000", "the reason \"bye\" does not match /^see you/"], wrong.Differences.Select(t => t.En));
        Assert.Equal(["关闭码是 4000，而不是 1000", "关闭原因 \"bye\" 不匹配 /^see you/"], wrong.Differences.Select(t => t.Zh));
    }

    [SkippableFact]
    public async Task JsonRpcCallsSubscriptionsAndShutdownAgainstPythonWebsockets()
    {
        using var peer = await ScenarioPeer.JsonRpcAsync();
        var file = Load("""
            target: { url: "ws://127.0.0.1:PORT/", timeout: 2s }
            steps:
              - send: { json: { jsonrpc: "2.0", method: add, params: [2, 3], id: "{{seq}}" } }
              - expect: { json: { jsonrpc: "2.0", id: 1, result: 5 }, exact: true }
              - send: { json: { jsonrpc: "2.0", method: subscribe, params: [3], id: 2 } }
              - expect: { where: { $.result.subscribed: true } }
              - repeat: 3
                steps:
                  - expect: { where: { $.method: tick, $.params.n: "{{iteration}}" } }
              - send: { json: { jsonrpc: "2.0", method: echo, params: [{ deep: [1, { x: null }] }], id: 3 } }
              - expect: { json: { result: { deep: [1, { x: null }] } } }
                capture: { echoed: "$.result.deep[1]" }
              - send: { json: { jsonrpc: "2.0", method: echo, params: ["{{echoed}}"], id: 4 } }
              - expect: { json: { id: 4, result: { x: null } } }
              - send: '{"jsonrpc": "2.0", "method": "shutdown"}'
              - expect-close: { code: 1001, reason: going away }
            """, peer.Port);
        var result = await RunAsync(file);
        Assert.True(result.Passed, Describe(result));
        Assert.DoesNotContain(result.Steps, s => s.Label.StartsWith("close 1000", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ALoopRunsForItsDurationPacedAndBounded()
    {
        using var peer = await ScenarioPeer.JsonRpcAsync();
        var file = Load("""
            target: { url: "ws://127.0.0.1:PORT/" }
            steps:
              - loop: { for: 1s, every: 200ms, max-iterations: 100 }
                steps:
                  - send: { json: { jsonrpc: "2.0", method: add, params: ["{{iteration}}", 1], id: 1 } }
                  - expect: { where: { $.result: { ">=": 2 } } }
              - loop: { for: 10s, max-iterations: 4 }
                steps:
                  - send: { json: { jsonrpc: "2.0", method: add, params: [1, 1], id: 1 } }
                  - expect: { where: { $.result: 2 } }
            """, peer.Port);
        var result = await RunAsync(file);
        Assert.True(result.Passed, Describe(result));
        var paced = result.Steps.First(s => s.Kind == "loop");
        // Paced at 200 ms for 1 s: ticks at 0, 200, 400, 600 and 800 ms. A loaded machine may miss a tick
        // (the pacer does not catch up with a burst), never add one; unpaced, it would reach max-iterations.
        var iterations = int.Parse(paced.Detail!.En.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(iterations, 3, 5);
        Assert.EndsWith(" iterations", paced.Detail, StringComparison.Ordinal);
        Assert.InRange(paced.Duration.TotalMilliseconds, 790, 2500);
        Assert.Equal("4 iterations", result.Steps.Last(s => s.Kind == "loop").Detail);
    }

    [SkippableFact]
    public async Task AVariableNothingSetYetFailsTheStepNotTheRun()
    {
        using var peer = await ScenarioPeer.JsonRpcAsync();
        var file = Load("""
            target: { url: "ws://127.0.0.1:PORT/" }
            steps:
              - send: "{{late}}"
              - send: { json: { jsonrpc: "2.0", method: echo, params: [1], id: 1 } }
              - expect: { where: { $.result: 1 } }
                capture: { late: $.result }
            """, peer.Port);
        var failure = (await RunAsync(file)).Failure!;
        Assert.Equal(FailureKind.Variable, failure.Kind);
        Assert.StartsWith("the variable 'late' is not set", failure.Message, StringComparison.Ordinal);
    }

    private static string Describe(ScenarioResult result) =>
        string.Join('\n', result.Steps.Select(s => $"{s.Status} {s.Label} {s.Detail} {s.Failure?.Message} {string.Join("; ", s.Failure?.Differences ?? [])}"));

    private sealed class RecordingObserver : IStepObserver
    {
        public List<(string Label, string Kind, bool Passed)> Ended { get; } = [];

        public void StepEnded(string label, string kind, TimeSpan duration, bool passed, StepFailure? failure)
        {
            lock (Ended)
            {
                Ended.Add((label, kind, passed));
            }
        }
    }
}
