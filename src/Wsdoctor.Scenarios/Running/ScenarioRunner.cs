using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Wsdoctor.Client.Opening;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Protocol.Secrets;
using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;

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
                var failure = new StepFailure(FailureKind.OpenFailed, open.Failure!.Message) { HttpStatus = open.Failure.StatusCode };
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
            return OpenResult.Fail(OpenStage.Connect, $"the connection did not open within open-timeout ({Durations.Format(check.Deadline)})");
        }
        catch (Probes.CheckUsageException ex)
        {
            return OpenResult.Fail(OpenStage.Tls, ex.Message);
        }
    }

    private static StepFailure? CheckRejection(RejectExpectation reject, OpenResult open)
    {
        if (open.Connection is not null)
        {
            return new StepFailure(FailureKind.RejectMismatch, $"the server accepted the upgrade (101 Switching Protocols); a refusal{(reject.Status is { } s ? $" with {s}" : "")} was expected");
        }

        var failure = open.Failure!;
        if (failure.Stage != OpenStage.Handshake || failure.StatusCode is not { } status || status == 101)
        {
            return new StepFailure(FailureKind.OpenFailed, $"a refusal by the server was expected, but the connection failed before any HTTP answer: {failure.Message}");
        }

        return reject.Status is { } wanted && wanted != status
            ? new StepFailure(FailureKind.RejectMismatch, $"the server refused with {status}, not {wanted}") { Expected = wanted.ToString(CultureInfo.InvariantCulture), Actual = status.ToString(CultureInfo.InvariantCulture), HttpStatus = status }
            : null;
    }

    private static string OpenDetail(ConnectionFacts facts)
    {
        var parts = new List<string> { $"{facts.StatusCode} in {facts.TotalMs.ToString("0.0", CultureInfo.InvariantCulture)} ms" };
        if (facts.Subprotocol is { } sub)
        {
            parts.Add($"subprotocol {sub}");
        }

        if (facts.Deflate)
        {
            parts.Add("permessage-deflate");
        }

        if (facts.TlsVersion is { } tls)
        {
            parts.Add(tls);
        }

        return string.Join(", ", parts);
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
                result = Failed(step, depth, start, new StepFailure(FailureKind.Cancelled, "interrupted"));
            }
            else
            {
                try
                {
                    result = await RunStepAsync(step, depth, start, into, ct).ConfigureAwait(false);
                }
                catch (UnsetVariableException ex)
                {
                    result = Failed(step, depth, start, new StepFailure(FailureKind.Variable, ex.Message));
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    result = Failed(step, depth, start, new StepFailure(FailureKind.Cancelled, "interrupted"));
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

    private StepResult Passed(Step step, int depth, TimeSpan start, string? detail = null) =>
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
            return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, $"the message could not be sent within {Durations.Format(_scenario.Target.Timeout)}: the server is not reading"));
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return await LostAsync(step, depth, start, "while sending", ct).ConfigureAwait(false);
        }

        return Passed(step, depth, start, $"{data.Length.ToString(CultureInfo.InvariantCulture)} B");
    }

    private async Task<StepResult> ExpectAsync(ExpectStep step, int depth, TimeSpan start, CancellationToken ct)
    {
        var conversation = _conversation!;
        var until = Deadline(step.Timeout);
        var skipped = new List<string>();
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

                    var note = skippedCount > 0 ? $" (after skipping {skippedCount.ToString(CultureInfo.InvariantCulture)} other)" : "";
                    return Passed(step, depth, start, $"{message.Show(120)}{note}");
                }

                if (!step.IgnoreOthers)
                {
                    return Failed(step, depth, start, new StepFailure(FailureKind.Mismatch, "the next message does not match")
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
                return Failed(step, depth, start, new StepFailure(FailureKind.Mismatch, $"more than {_options.MaxBufferedMessages} messages arrived that no step took"));
            }

            if (!conversation.IsOpen && conversation.Messages.Count == 0)
            {
                return await LostAsync(step, depth, start, $"before {step.Match.Describe()} arrived", ct).ConfigureAwait(false);
            }

            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.IsOpen && conversation.Messages.Count == 0)
            {
                var others = skippedCount > 0 ? $"; {skippedCount.ToString(CultureInfo.InvariantCulture)} other message{(skippedCount == 1 ? "" : "s")} arrived" : "; no message arrived";
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, $"nothing matching arrived within {Durations.Format(step.Timeout)}{others}")
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
            return Failed(step, depth, start, new StepFailure(FailureKind.Variable, "there is no message to capture from yet (capture reads the last message an expect took)"));
        }

        var taken = new List<string>();
        if (StepSupport.Apply(captures, message, _variables, taken) is { } failure)
        {
            return Failed(step, depth, start, failure);
        }

        return Passed(step, depth, start, string.Join(", ", taken));
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
            return await LostAsync(step, depth, start, "while sending the ping", ct).ConfigureAwait(false);
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
                return await LostAsync(step, depth, start, "before the pong arrived", ct).ConfigureAwait(false);
            }

            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.IsOpen)
            {
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, $"no pong {(wanted is null ? "" : "answering our ping ")}within {Durations.Format(step.Timeout)}: the server (or a proxy on the way) does not answer pings"));
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
                return await LostAsync(step, depth, start, "before the server pinged", ct).ConfigureAwait(false);
            }

            if (!await conversation.PumpAsync(until, ct).ConfigureAwait(false) && conversation.IsOpen)
            {
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, $"the server sent no ping within {Durations.Format(step.Timeout)}: it has no heartbeat this often, so idle connections rely on the client's pings"));
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
            return Passed(step, depth, start, $"the server answered with {(answer.Code?.ToString(CultureInfo.InvariantCulture) ?? "an empty Close")}");
        }

        return Failed(step, depth, start, new StepFailure(end?.Error is null ? FailureKind.Timeout : FailureKind.Dropped,
            end?.Error is { } error
                ? $"the connection was dropped instead of a closing handshake ({error})"
                : $"the server did not answer our Close within {Durations.Format(step.Timeout)} (RFC 6455 7.1.2 requires it to)"));
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
                return Failed(step, depth, start, new StepFailure(FailureKind.Timeout, $"the server did not close the connection within {Durations.Format(step.Timeout)}")
                {
                    Expected = Describe(step),
                });
            }

            ignored += conversation.Messages.Count;
            conversation.Messages.Clear();
        }

        var note = ignored > 0 ? $"; {ignored.ToString(CultureInfo.InvariantCulture)} message{(ignored == 1 ? "" : "s")} before it" : "";
        if (conversation.ServerClose is not { } close)
        {
            var end = conversation.End!;
            return Failed(step, depth, start, new StepFailure(FailureKind.Dropped, $"the connection was dropped without a Close frame ({end.Error ?? "no closing handshake"}), not closed{(step.Code is { } c ? $" with {c}" : "")}")
            {
                Expected = Describe(step),
                Actual = "1006 (no Close frame)",
                CloseLines = CloseExplanation.Dropped(end.Error ?? "no Close frame"),
            });
        }

        var problems = new List<string>();
        if (step.Code is { } code && close.Code != code)
        {
            problems.Add($"the code is {close.Code?.ToString(CultureInfo.InvariantCulture) ?? "absent (1005)"}, not {code.ToString(CultureInfo.InvariantCulture)}");
        }

        if (step.Reason is { } reason && !string.Equals(close.Reason, reason, StringComparison.Ordinal))
        {
            problems.Add($"the reason is \"{close.Reason}\", not \"{reason}\"");
        }

        if (step.ReasonPattern is { } pattern && !JsonCondition.Matches(pattern, close.Reason))
        {
            problems.Add($"the reason \"{close.Reason}\" does not match /{pattern}/");
        }

        // The closing handshake completes on its own (the session answers a server's Close).
        _weClosed = true;
        await conversation.WaitEndAsync(step.Timeout, ct).ConfigureAwait(false);
        var shown = $"{close.Code?.ToString(CultureInfo.InvariantCulture) ?? "1005"}{(close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "")}";
        return problems.Count == 0
            ? Passed(step, depth, start, $"closed with {shown}{note}")
            : Failed(step, depth, start, new StepFailure(FailureKind.Mismatch, "the server closed differently")
            {
                Expected = Describe(step),
                Actual = shown,
                Differences = problems,
                CloseCode = close.Code,
                CloseLines = CloseExplanation.Lines("the server", close.Code, close.Reason),
            });
    }

    private static string Describe(ExpectCloseStep step)
    {
        var parts = new List<string> { step.Code is { } c ? $"a Close with {c.ToString(CultureInfo.InvariantCulture)}" : "a Close frame" };
        if (step.Reason is { } reason)
        {
            parts.Add($"reason \"{reason}\"");
        }

        if (step.ReasonPattern is { } pattern)
        {
            parts.Add($"reason matching /{pattern}/");
        }

        return string.Join(", ", parts);
    }

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

        var detail = $"{iterations.ToString(CultureInfo.InvariantCulture)} iteration{(iterations == 1 ? "" : "s")}";
        var failedChild = last.FirstOrDefault(r => r.Status == StepStatus.Failed);
        var result = passed
            ? Passed(step, depth, start, detail)
            : Failed(step, depth, start, failedChild?.Failure ?? new StepFailure(FailureKind.Mismatch, "a step failed")) with { Detail = $"failed in iteration {iterations.ToString(CultureInfo.InvariantCulture)}" };
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
            ? $"the server answered with {(answer.Code?.ToString(CultureInfo.InvariantCulture) ?? "an empty Close")}"
            : "the server did not answer our Close; the connection was dropped after the timeout";
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
            return Failed(step, depth, start, new StepFailure(FailureKind.ClosedByServer, "the connection is closed: an earlier step closed it"));
        }

        return LostSync(step, depth, start, $"before {step.Kind}");
    }

    /// <summary>The connection ended under a step: a Close from the server (its code explained) or a drop.</summary>
    private async Task<StepResult> LostAsync(Step step, int depth, TimeSpan start, string when, CancellationToken ct)
    {
        // Give the session a moment to report the Close frame or the error that ended it.
        await _conversation!.WaitEndAsync(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
        return LostSync(step, depth, start, when);
    }

    private StepResult LostSync(Step step, int depth, TimeSpan start, string when)
    {
        var conversation = _conversation!;
        if (conversation.ServerClose is { } close)
        {
            var reason = close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "";
            return Failed(step, depth, start, new StepFailure(FailureKind.ClosedByServer, $"the server closed the connection with {close.Code?.ToString(CultureInfo.InvariantCulture) ?? "an empty Close (1005)"}{reason} {when}")
            {
                CloseCode = close.Code,
                CloseLines = CloseExplanation.Lines("the server", close.Code, close.Reason),
            });
        }

        var error = conversation.End?.Error ?? "no Close frame";
        return Failed(step, depth, start, new StepFailure(FailureKind.Dropped, $"the connection was lost {when} ({error})")
        {
            CloseLines = CloseExplanation.Dropped(error),
        });
    }

    private static long Deadline(TimeSpan span) =>
        Stopwatch.GetTimestamp() + (long)(Math.Min(span.TotalSeconds, TimeSpan.FromDays(30).TotalSeconds) * Stopwatch.Frequency);
}
