using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Secrets;
using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Running;

/// <summary>Plays one scenario on one connection: open (or expect the refusal), the steps in order until one fails,
/// then a normal close. Every wait is bounded by its step's timeout; every loop by its count or duration.</summary>
public sealed partial class ScenarioRunner
{
    private const int MaxSkippedShown = 3;

    private readonly Scenario _scenario;
    private readonly IReadOnlyDictionary<string, Flow> _flows;
    private readonly RunOptions _options;
    private readonly Variables _variables;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly List<StepResult> _results = [];
    private Conversation? _conversation;
    private byte[]? _lastPing;
    private bool _weClosed;
    private long _pingCounter;

    private ScenarioRunner(Scenario scenario, IReadOnlyDictionary<string, Flow> flows, RunOptions options)
    {
        _scenario = scenario;
        _flows = flows;
        _options = options;
        _variables = new Variables(scenario.Vars, scenario.Name, options.Connection);
    }

    public static async Task<ScenarioResult> RunAsync(Scenario scenario, ScenarioFile file, RunOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        var runner = new ScenarioRunner(scenario, file.Flows, options);
        return await runner.RunAsync(file.Path, ct).ConfigureAwait(false);
    }

    private TimeSpan Now => Stopwatch.GetElapsedTime(_origin);

    private string ShownUrl => _options.ShowSecrets ? _scenario.Target.Url! : SecretRedactor.RedactUrl(_scenario.Target.Url!);

    private async Task<ScenarioResult> RunAsync(string file, CancellationToken ct)
    {
        var check = _scenario.Target.ToCheckOptions(_options.ShowSecrets);
        ConnectionFacts? facts = null;
        Probes.Diagnosis.CheckReport? diagnosis = null;
        var open = await OpenAsync(check, ct).ConfigureAwait(false);
        try
        {
            if (_scenario.ExpectReject is { } reject)
            {
                var failure = CheckRejection(reject, open);
                Record(new StepResult($"expect reject{(reject.Status is { } s ? $" {s}" : "")}", "expect-reject", reject.Mark, 0, TimeSpan.Zero, Now, failure is null ? StepStatus.Passed : StepStatus.Failed)
                {
                    Detail = open.Failure?.Message,
                    Failure = failure,
                });
                if (failure?.Kind == FailureKind.OpenFailed && _options.Diagnose is { } diagnoseReject)
                {
                    diagnosis = await diagnoseReject(check, ct).ConfigureAwait(false);
                }

                return Result(file, open.Connection?.Facts, diagnosis);
            }

            if (open.Connection is not { } connection)
            {
                var failure = new StepFailure(FailureKind.OpenFailed, open.Failure!.Message) { HttpStatus = open.Failure!.StatusCode };
                Record(new StepResult($"open {ShownUrl}", "open", _scenario.Mark, 0, TimeSpan.Zero, Now, StepStatus.Failed) { Failure = failure });
                MarkNotRun(_scenario.Steps, 0);
                if (_options.Diagnose is { } diagnose && !ct.IsCancellationRequested)
                {
                    diagnosis = await diagnose(check, ct).ConfigureAwait(false);
                }

                return Result(file, null, diagnosis);
            }

            facts = connection.Facts;
            Record(new StepResult($"open {ShownUrl}", "open", _scenario.Mark, 0, TimeSpan.Zero, Now, StepStatus.Passed) { Detail = OpenDetail(facts) });
            _conversation = new Conversation(connection, _scenario.Target.Timeout, _origin, _options.MaxBufferedMessages);
            var passed = await RunStepsAsync(_scenario.Steps, 0, _results, ct).ConfigureAwait(false);
            if (passed)
            {
                await FinishAsync(ct).ConfigureAwait(false);
            }
            else if (_results.LastOrDefault(r => r.Status == StepStatus.Failed)?.Failure?.Kind == FailureKind.Dropped && _options.Diagnose is { } diagnose && !ct.IsCancellationRequested)
            {
                diagnosis = await diagnose(check, ct).ConfigureAwait(false);
            }

            return Result(file, facts, diagnosis);
        }
        finally
        {
            if (_conversation is { } conversation)
            {
                await conversation.DisposeAsync().ConfigureAwait(false);
            }
            else if (open.Connection is { } unused)
            {
                await unused.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private ScenarioResult Result(string file, ConnectionFacts? facts, Probes.Diagnosis.CheckReport? diagnosis) =>
        new(_scenario.Name, file, _scenario.Mark, Now, _results) { Connection = facts, Diagnosis = diagnosis, Url = ShownUrl };

    private async Task<OpenResult> OpenAsync(Probes.CheckOptions check, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(check.Deadline);
        try
        {
            return await Opener.OpenAsync(new OpenOptions { Check = check, Compress = _scenario.Target.Compress }, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return OpenResult.Fail(OpenStage.Connect, T($"the connection did not open within open-timeout ({Durations.Format(check.Deadline)})", $"连接没有在 open-timeout（{Durations.Format(check.Deadline)}）内打开"));
        }
        catch (Probes.CheckUsageException ex)
        {
            return OpenResult.Fail(OpenStage.Tls, Verbatim(ex.Message));
        }
    }

    private static StepFailure? CheckRejection(RejectExpectation reject, OpenResult open)
    {
        if (open.Connection is not null)
        {
            var with = reject.Status is { } s ? $" {s}" : "";
            return new StepFailure(FailureKind.RejectMismatch, T($"the server accepted the upgrade (101 Switching Protocols); a refusal{(with.Length > 0 ? $" with{with}" : "")} was expected",
                $"服务端接受了升级（101 Switching Protocols），而期望的是拒绝{(with.Length > 0 ? $"（{with.Trim()}）" : "")}"));
        }

        var failure = open.Failure!;
        if (failure.Stage != OpenStage.Handshake || failure.StatusCode is not { } status || status == 101)
        {
            return new StepFailure(FailureKind.OpenFailed, T($"a refusal by the server was expected, but the connection failed before any HTTP answer: {failure.Message}", $"期望服务端拒绝，但连接在收到任何 HTTP 应答之前就失败了：{failure.Message}"));
        }

        return reject.Status is { } wanted && wanted != status
            ? new StepFailure(FailureKind.RejectMismatch, T($"the server refused with {status}, not {wanted}", $"服务端以 {status} 拒绝，而不是 {wanted}")) { Expected = Verbatim(wanted.ToString(CultureInfo.InvariantCulture)), Actual = Verbatim(status.ToString(CultureInfo.InvariantCulture)), HttpStatus = status }
            : null;
    }

    private static Text OpenDetail(ConnectionFacts facts)
    {
        var ms = facts.TotalMs.ToString("0.0", CultureInfo.InvariantCulture);
        var parts = new List<Text> { T($"{facts.StatusCode} in {ms} ms", $"{facts.StatusCode}，用时 {ms} ms") };
        if (facts.Subprotocol is { } sub)
        {
            parts.Add(T($"subprotocol {sub}", $"子协议 {sub}"));
        }

        if (facts.Deflate)
        {
            parts.Add(Verbatim("permessage-deflate"));
        }

        if (facts.TlsVersion is { } tls)
        {
            parts.Add(Verbatim(tls));
        }

        return Join(T(", ", "，"), parts);
    }

    /// <summary>Runs steps until one fails; false then, with the rest recorded as not run.</summary>
    private async Task<bool> RunStepsAsync(IReadOnlyList<Step> steps, int depth, List<StepResult> into, CancellationToken ct)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var start = Now;
            StepResult result;
            if (ct.IsCancellationRequested)
            {
                result = Failed(step, depth, start, new StepFailure(FailureKind.Cancelled, T("interrupted", "已中断")));
            }
            else
            {
                try
                {
                    result = await RunStepAsync(step, depth, start, into, ct).ConfigureAwait(false);
                }
                catch (UnsetVariableException ex)
                {
                    result = Failed(step, depth, start, new StepFailure(FailureKind.Variable, ex.Text));
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    result = Failed(step, depth, start, new StepFailure(FailureKind.Cancelled, T("interrupted", "已中断")));
                }
            }

            if (step is not (RepeatStep or CallStep))
            {
                into.Add(result);
            }

            _options.Observer?.StepEnded(step.Label, step.Kind, result.Duration, result.Status == StepStatus.Passed, result.Failure);
            if (result.Status == StepStatus.Failed)
            {
                MarkNotRun(steps.Skip(i + 1), depth, into);
                return false;
            }
        }

        return true;
    }

    private void Record(StepResult result) => _results.Add(result);

    private void MarkNotRun(IEnumerable<Step> steps, int depth, List<StepResult>? into = null)
    {
        foreach (var step in steps)
        {
            (into ?? _results).Add(new StepResult(step.Label, step.Kind, step.Mark, depth, Now, TimeSpan.Zero, StepStatus.NotRun));
        }
    }

    private StepResult Passed(Step step, int depth, TimeSpan start, Text? detail = null) =>
        new(step.Label, step.Kind, step.Mark, depth, start, Now - start, StepStatus.Passed) { Detail = detail };

    private StepResult Failed(Step step, int depth, TimeSpan start, StepFailure failure) =>
        new(step.Label, step.Kind, step.Mark, depth, start, Now - start, StepStatus.Failed) { Failure = failure };

    private Task<StepResult> RunStepAsync(Step step, int depth, TimeSpan start, List<StepResult> into, CancellationToken ct) => step switch
    {
        SendStep send => SendAsync(send, depth, start, ct),
        ExpectStep expect => ExpectAsync(expect, depth, start, ct),
        CaptureStep capture => Task.FromResult(CaptureFrom(capture, capture.Captures, depth, start)),
        PingStep ping => PingAsync(ping, depth, start, ct),
        ExpectPongStep pong => ExpectPongAsync(pong, depth, start, ct),
        ExpectPingStep ping => ExpectPingAsync(ping, depth, start, ct),
        WaitStep wait => WaitAsync(wait, depth, start, ct),
        CloseStep close => CloseAsync(close, depth, start, ct),
        ExpectCloseStep expectClose => ExpectCloseAsync(expectClose, depth, start, ct),
        RepeatStep repeat => RepeatAsync(repeat, depth, start, into, ct),
        CallStep call => CallAsync(call, depth, start, into, ct),
        _ => throw new InvalidOperationException($"unknown step {step.GetType().Name}"),
    };

    private async Task<StepResult> SendAsync(SendStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        if (NotOpen(step, depth, start) is { } closed)
        {
            return closed;
        }

        var (type, data) = StepSupport.Render(step.Payload, _variables);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_scenario.Target.Timeout);
        try
        {
            await _conversation!.Session.SendAsync(type, data, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, T($"the message could not be sent within {Durations.Format(_scenario.Target.Timeout)}: the server is not reading", $"消息在 {Durations.Format(_scenario.Target.Timeout)} 内没能发出：服务端没有在读取")));
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return await LostAsync(step, depth, start, T("while sending", "发送时"), ct).ConfigureAwait(false);
        }

        return Passed(step, depth, start, Verbatim($"{data.Length.ToString(CultureInfo.InvariantCulture)} B"));
    }

    private async Task<StepResult> ExpectAsync(ExpectStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        var conversation = _conversation!;
        var until = Deadline(step.Timeout);
        var skipped = new List<Text>();
        var skippedCount = 0;
        while (true)
        {
            while (conversation.Messages.TryDequeue(out var message))
            {
                var match = MessageMatcher.Check(step.Match, message, _variables);
                if (match.Matched)
                {
                    conversation.Last = message;
                    if (step.Captures.Count > 0 && CaptureFrom(step, step.Captures, depth, start) is { Status: StepStatus.Failed } failed)
                    {
                        return failed;
                    }

                    var count = skippedCount.ToString(CultureInfo.InvariantCulture);
                    var note = skippedCount > 0 ? T($" (after skipping {count} other)", $"（跳过了 {count} 条其他消息）") : Empty;
                    return Passed(step, depth, start, message.Show(120) + note);
                }

                if (!step.IgnoreOthers)
                {
                    return Failed(step, depth, start, new StepFailure(FailureKind.Mismatch, T("the next message does not match", "下一条消息不匹配"))
                    {
                        Expected = step.Match.Describe(),
                        Actual = message.Show(),
                        Differences = match.Problems,
                    });
                }

                skippedCount++;
                skipped.Add(message.Show(120));
                if (skipped.Count > MaxSkippedShown)
                {
                    skipped.RemoveAt(0);
                }
            }

            if (conversation.Overflowed)
            {
                return Failed(step, depth, start, new StepFailure(FailureKind.Mismatch, T($"more than {_options.MaxBufferedMessages} messages arrived that no step took", $"收到了超过 {_options.MaxBufferedMessages} 条没有任何步骤取走的消息")));
            }

            if (!conversation.IsOpen && conversation.Messages.Count == 0)
            {
                return await LostAsync(step, depth, start, T($"before {step.Match.Describe()} arrived", $"在{step.Match.Describe()}到达之前"), ct).ConfigureAwait(false);
            }

            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.IsOpen && conversation.Messages.Count == 0)
            {
                var count = skippedCount.ToString(CultureInfo.InvariantCulture);
                var others = skippedCount > 0 ? T($"; {count} other message{(skippedCount == 1 ? "" : "s")} arrived", $"；收到了 {count} 条其他消息") : T("; no message arrived", "；没有收到任何消息");
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, T($"nothing matching arrived within {Durations.Format(step.Timeout)}{others}", $"{Durations.Format(step.Timeout)} 内没有收到匹配的消息{others}"))
                {
                    Expected = step.Match.Describe(),
                    Skipped = [.. skipped],
                });
            }
        }
    }

    private StepResult CaptureFrom(Step step, IReadOnlyList<Capture> captures, int depth, TimeSpan start)
    {
        if (_conversation?.Last is not { } message)
        {
            return Failed(step, depth, start, new StepFailure(FailureKind.Variable, T("there is no message to capture from yet (capture reads the last message an expect took)", "还没有可以捕获的消息（capture 读取的是上一个 expect 取走的消息）")));
        }

        var taken = new List<string>();
        if (StepSupport.Apply(captures, message, _variables, taken) is { } failure)
        {
            return Failed(step, depth, start, failure);
        }

        return Passed(step, depth, start, Verbatim(string.Join(", ", taken)));
    }

    private async Task<StepResult> PingAsync(PingStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        if (NotOpen(step, depth, start) is { } closed)
        {
            return closed;
        }

        // Our own numbered payload when none is given, so that expect-pong knows which pong answers it.
        var payload = step.Payload.Length > 0 ? step.Payload : Encoding.ASCII.GetBytes($"wsdoctor-{Interlocked.Increment(ref _pingCounter)}");
        _lastPing = payload;
        try
        {
            await _conversation!.Session.PingAsync(payload, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return await LostAsync(step, depth, start, T("while sending the ping", "发送 ping 时"), ct).ConfigureAwait(false);
        }

        return Passed(step, depth, start);
    }

    private async Task<StepResult> ExpectPongAsync(ExpectPongStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        var conversation = _conversation!;
        var wanted = _lastPing is { } ping ? Convert.ToHexString(ping) : null;
        var until = Deadline(step.Timeout);
        while (true)
        {
            var index = wanted is null ? (conversation.Pongs.Count > 0 ? 0 : -1) : conversation.Pongs.IndexOf(wanted);
            if (index >= 0)
            {
                conversation.Pongs.RemoveAt(index);
                return Passed(step, depth, start);
            }

            if (!conversation.IsOpen)
            {
                return await LostAsync(step, depth, start, T("before the pong arrived", "在 pong 到达之前"), ct).ConfigureAwait(false);
            }

            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.IsOpen)
            {
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, T($"no pong {(wanted is null ? "" : "answering our ping ")}within {Durations.Format(step.Timeout)}: the server (or a proxy on the way) does not answer pings", $"{Durations.Format(step.Timeout)} 内没有收到{(wanted is null ? "" : "回应我们 ping 的")} pong：服务端（或途中的代理）不回应 ping")));
            }
        }
    }

    private async Task<StepResult> ExpectPingAsync(ExpectPingStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        var conversation = _conversation!;
        var until = Deadline(step.Timeout);
        while (true)
        {
            if (conversation.Pings > 0)
            {
                conversation.Pings--;
                return Passed(step, depth, start);
            }

            if (!conversation.IsOpen)
            {
                return await LostAsync(step, depth, start, T("before the server pinged", "在服务端发来 ping 之前"), ct).ConfigureAwait(false);
            }

            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.IsOpen)
            {
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, T($"the server sent no ping within {Durations.Format(step.Timeout)}: it has no heartbeat this often, so idle connections rely on the client's pings", $"服务端在 {Durations.Format(step.Timeout)} 内没有发 ping：它的心跳没有这么频繁，空闲连接只能靠客户端的 ping 保活")));
            }
        }
    }

    private async Task<StepResult> WaitAsync(WaitStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        // Pumping while waiting keeps the close or drop visible at the moment it happens.
        var until = Deadline(step.Duration);
        while (Stopwatch.GetTimestamp() < until && await _conversation!.PumpAsync(until, ct).ConfigureAwait(false))
        {
        }

        if (Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until) is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero, ct).ConfigureAwait(false);
        }

        return Passed(step, depth, start);
    }

    private async Task<StepResult> CloseAsync(CloseStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        if (NotOpen(step, depth, start) is { } closed)
        {
            return closed;
        }

        _weClosed = true;
        await _conversation!.Session.CloseAsync(step.Code, step.Reason, ct).ConfigureAwait(false);
        var end = await _conversation.WaitEndAsync(step.Timeout + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        if (_conversation.ServerClose is { } answer)
        {
            return Passed(step, depth, start, Answered(answer.Code));
        }

        return Failed(step, depth, start, new StepFailure(end?.Error is null ? FailureKind.Timeout : FailureKind.Dropped,
            end?.Error is { } error
                ? T($"the connection was dropped instead of a closing handshake ({error})", $"连接被直接断开，没有完成关闭握手（{error}）")
                : T($"the server did not answer our Close within {Durations.Format(step.Timeout)} (RFC 6455 7.1.2 requires it to)", $"服务端在 {Durations.Format(step.Timeout)} 内没有回应我们的 Close（RFC 6455 7.1.2 要求它回应）")));
    }

    private async Task<StepResult> ExpectCloseAsync(ExpectCloseStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        var conversation = _conversation!;
        var until = Deadline(step.Timeout);
        var ignored = 0;
        while (conversation.ServerClose is null && conversation.End is null)
        {
            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.ServerClose is null && conversation.End is null)
            {
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, T($"the server did not close the connection within {Durations.Format(step.Timeout)}", $"服务端在 {Durations.Format(step.Timeout)} 内没有关闭连接"))
                {
                    Expected = Describe(step),
                });
            }

            ignored += conversation.Messages.Count;
            conversation.Messages.Clear();
        }

        var ignoredCount = ignored.ToString(CultureInfo.InvariantCulture);
        var note = ignored > 0 ? T($"; {ignoredCount} message{(ignored == 1 ? "" : "s")} before it", $"；之前收到 {ignoredCount} 条消息") : Empty;
        if (conversation.ServerClose is not { } close)
        {
            var end = conversation.End!;
            return Failed(step, depth, start, new StepFailure(FailureKind.Dropped, T($"the connection was dropped without a Close frame ({end.Error ?? "no closing handshake"}), not closed{(step.Code is { } c ? $" with {c}" : "")}", $"连接没有 Close 帧就断开了（{end.Error ?? "没有关闭握手"}），而不是{(step.Code is { } zc ? $"以 {zc} " : "")}关闭"))
            {
                Expected = Describe(step),
                Actual = T("1006 (no Close frame)", "1006（没有 Close 帧）"),
                CloseLines = CloseExplanation.Dropped(end.Error ?? "no Close frame"),
            });
        }

        var problems = new List<Text>();
        if (step.Code is { } code && close.Code != code)
        {
            problems.Add(T($"the code is {close.Code?.ToString(CultureInfo.InvariantCulture) ?? "absent (1005)"}, not {code.ToString(CultureInfo.InvariantCulture)}", $"关闭码是 {close.Code?.ToString(CultureInfo.InvariantCulture) ?? "空（1005）"}，而不是 {code.ToString(CultureInfo.InvariantCulture)}"));
        }

        if (step.Reason is { } reason && !string.Equals(close.Reason, reason, StringComparison.Ordinal))
        {
            problems.Add(T($"the reason is \"{close.Reason}\", not \"{reason}\"", $"关闭原因是 \"{close.Reason}\"，而不是 \"{reason}\""));
        }

        if (step.ReasonPattern is { } pattern && !JsonCondition.Matches(pattern, close.Reason))
        {
            problems.Add(T($"the reason \"{close.Reason}\" does not match /{pattern}/", $"关闭原因 \"{close.Reason}\" 不匹配 /{pattern}/"));
        }

        // The closing handshake completes on its own (the session answers a server's Close).
        _weClosed = true;
        await conversation.WaitEndAsync(step.Timeout, ct).ConfigureAwait(false);
        var shown = $"{close.Code?.ToString(CultureInfo.InvariantCulture) ?? "1005"}{(close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "")}";
        return problems.Count == 0
            ? Passed(step, depth, start, T($"closed with {shown}{note}", $"以 {shown} 关闭{note}"))
            : Failed(step, depth, start, new StepFailure(FailureKind.Mismatch, T("the server closed differently", "服务端关闭的方式与期望不同"))
            {
                Expected = Describe(step),
                Actual = Verbatim(shown),
                Differences = problems,
                CloseCode = close.Code,
                CloseLines = CloseExplanation.Lines(CloseExplanation.Server, close.Code, close.Reason),
            });
    }

    private static Text Describe(ExpectCloseStep step)
    {
        var parts = new List<Text> { step.Code is { } c ? T($"a Close with {c.ToString(CultureInfo.InvariantCulture)}", $"关闭码为 {c.ToString(CultureInfo.InvariantCulture)} 的 Close") : T("a Close frame", "一个 Close 帧") };
        if (step.Reason is { } reason)
        {
            parts.Add(T($"reason \"{reason}\"", $"关闭原因 \"{reason}\""));
        }

        if (step.ReasonPattern is { } pattern)
        {
            parts.Add(T($"reason matching /{pattern}/", $"关闭原因匹配 /{pattern}/"));
        }

        return Join(T(", ", "，"), parts);
    }

    private static Text Answered(int? code) => code is { } c
        ? T($"the server answered with {c.ToString(CultureInfo.InvariantCulture)}", $"服务端以 {c.ToString(CultureInfo.InvariantCulture)} 回应")
        : T("the server answered with an empty Close", "服务端回应了一个空的 Close");

    private async Task<StepResult> RepeatAsync(RepeatStep step, int depth, TimeSpan start, List<StepResult> into, CancellationToken ct)
    {
        var loopStart = Stopwatch.GetTimestamp();
        var until = step.For is { } duration ? loopStart + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var iterations = 0;
        List<StepResult> last = [];
        var passed = true;
        _variables.PushIteration();
        try
        {
            while (iterations < step.MaxIterations && (step.Times is { } times ? iterations < times : Stopwatch.GetTimestamp() < until))
            {
                if (step.Every is { } every && iterations > 0)
                {
                    var next = loopStart + (long)(every.TotalSeconds * iterations * Stopwatch.Frequency);
                    if (step.Times is null && next >= until)
                    {
                        break;
                    }

                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Math.Min(next, until));
                    if (left > TimeSpan.Zero)
                    {
                        await Task.Delay(left, ct).ConfigureAwait(false);
                    }

                    if (step.Times is null && Stopwatch.GetTimestamp() >= until)
                    {
                        break;
                    }
                }

                iterations++;
                _variables.SetIteration(iterations);
                last = [];
                if (!await RunStepsAsync(step.Steps, depth + 1, last, ct).ConfigureAwait(false))
                {
                    passed = false;
                    break;
                }
            }
        }
        finally
        {
            _variables.PopIteration();
        }

        var iterationCount = iterations.ToString(CultureInfo.InvariantCulture);
        var detail = T($"{iterationCount} iteration{(iterations == 1 ? "" : "s")}", $"{iterationCount} 轮");
        var failedChild = last.FirstOrDefault(r => r.Status == StepStatus.Failed);
        var result = passed
            ? Passed(step, depth, start, detail)
            : Failed(step, depth, start, failedChild?.Failure ?? new StepFailure(FailureKind.Mismatch, T("a step failed", "有一个步骤失败"))) with { Detail = T($"failed in iteration {iterationCount}", $"第 {iterationCount} 轮失败") };
        into.Add(result);
        into.AddRange(last);
        return result;
    }

    private async Task<StepResult> CallAsync(CallStep step, int depth, TimeSpan start, List<StepResult> into, CancellationToken ct)
    {
        var flow = _flows[step.Flow];
        var with = StepSupport.With(step, _variables);
        var children = new List<StepResult>();
        _variables.PushCall(with);
        bool passed;
        try
        {
            passed = await RunStepsAsync(flow.Steps, depth + 1, children, ct).ConfigureAwait(false);
        }
        finally
        {
            _variables.PopCall();
        }

        var result = passed
            ? Passed(step, depth, start)
            : Failed(step, depth, start, children.First(r => r.Status == StepStatus.Failed).Failure!);
        into.Add(result);
        into.AddRange(children);
        return result;
    }

    /// <summary>The end of a scenario that passed: close normally unless a step already closed.</summary>
    private async Task FinishAsync(CancellationToken ct)
    {
        var conversation = _conversation!;
        if (_weClosed || !conversation.IsOpen)
        {
            return;
        }

        var start = Now;
        try
        {
            await conversation.Session.CloseAsync(1000, "", ct).ConfigureAwait(false);
            await conversation.WaitEndAsync(_scenario.Target.Timeout + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The scenario passed; how the connection went away afterwards is a note, not a failure.
        }

        var detail = conversation.ServerClose is { } answer
            ? Answered(answer.Code)
            : T("the server did not answer our Close; the connection was dropped after the timeout", "服务端没有回应我们的 Close；超时后连接被断开");
        Record(new StepResult("close 1000 (end of scenario)", "close", _scenario.Mark, 0, start, Now - start, StepStatus.Passed) { Detail = detail });
    }

    private StepResult? NotOpen(Step step, int depth, TimeSpan start)
    {
        var conversation = _conversation!;
        if (conversation.IsOpen && !_weClosed)
        {
            return null;
        }

        if (_weClosed)
        {
            return Failed(step, depth, start, new StepFailure(FailureKind.ClosedByServer, T("the connection is closed: an earlier step closed it", "连接已经关闭：前面的步骤关闭了它")));
        }

        return LostSync(step, depth, start, T($"before {step.Kind}", $"在 {step.Kind} 之前"));
    }

    /// <summary>The connection ended under a step: a Close from the server (its code explained) or a drop.</summary>
    private async Task<StepResult> LostAsync(Step step, int depth, TimeSpan start, Text when, CancellationToken ct)
    {
        // Give the session a moment to report the Close frame or the error that ended it.
        await _conversation!.WaitEndAsync(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
        return LostSync(step, depth, start, when);
    }

    private StepResult LostSync(Step step, int depth, TimeSpan start, Text when)
    {
        var conversation = _conversation!;
        if (conversation.ServerClose is { } close)
        {
            var reason = close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "";
            return Failed(step, depth, start, new StepFailure(FailureKind.ClosedByServer, T($"the server closed the connection with {close.Code?.ToString(CultureInfo.InvariantCulture) ?? "an empty Close (1005)"}{reason} {when}", $"{when}，服务端以 {close.Code?.ToString(CultureInfo.InvariantCulture) ?? "空的 Close（1005）"}{reason} 关闭了连接"))
            {
                CloseCode = close.Code,
                CloseLines = CloseExplanation.Lines(CloseExplanation.Server, close.Code, close.Reason),
            });
        }

        var error = conversation.End?.Error ?? "no Close frame";
        return Failed(step, depth, start, new StepFailure(FailureKind.Dropped, T($"the connection was lost {when} ({error})", $"{when}连接中断（{error}）"))
        {
            CloseLines = CloseExplanation.Dropped(error),
        });
    }

    private static long Deadline(TimeSpan span) =>
        Stopwatch.GetTimestamp() + (long)(Math.Min(span.TotalSeconds, TimeSpan.FromDays(30).TotalSeconds) * Stopwatch.Frequency);
}
