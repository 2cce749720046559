using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Runs;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;
using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Scenarios.Bench;

/// <summary><c>bench --scenario FILE</c>: each virtual connection plays the scenario's steps as one exchange, over
/// and over on its connection (with <c>--churn</c>, on a new connection each time, as a user of the service
/// would). Every step keeps its own latency histogram; a failing step is an error named after it. Pings and close
/// steps need the frames System.Net.WebSockets keeps to itself, so a scenario with them is refused here (they run
/// in <c>wsdoctor test</c>).</summary>
public sealed class ScenarioDriver : IConnectionDriver
{
    /// <summary>Steps bench cannot play: opening and closing are the engine's, control frames are invisible.</summary>
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal) { "ping", "expect-pong", "expect-ping", "close", "expect-close" };

    private const int MaxMessageBytes = 16 * 1024 * 1024;

    private readonly Scenario _scenario;
    private readonly IReadOnlyDictionary<string, Flow> _flows;
    private readonly Dictionary<Step, int> _stepIndex = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _names = [];

    public ScenarioDriver(ScenarioFile file, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(file);
        _scenario = scenario ?? throw new ArgumentNullException(nameof(scenario));
        _flows = file.Flows;
        if (scenario.ExpectReject is not null)
        {
            throw new ArgumentException($"scenario '{scenario.Name}' expects its open to be refused: there is nothing to load-test");
        }

        if (scenario.Steps.Count == 0)
        {
            throw new ArgumentException($"scenario '{scenario.Name}' has no steps");
        }

        Index(scenario.Steps, new HashSet<string>(StringComparer.Ordinal));
        Description = $"scenario '{scenario.Name}' ({file.Path}), {scenario.Steps.Count} step{(scenario.Steps.Count == 1 ? "" : "s")} per exchange";
    }

    public IReadOnlyList<string> StepNames => _names;

    public string Description { get; }

    public Scenario Scenario => _scenario;

    public IConversation Start(int connectionIndex) => new Conversation(this, new Variables(_scenario.Vars, _scenario.Name, connectionIndex));

    /// <summary>Gives every step a histogram, named by its label; two steps with one label are told apart by their line.</summary>
    private void Index(IReadOnlyList<Step> steps, HashSet<string> inFlows)
    {
        foreach (var step in steps)
        {
            if (Unsupported.Contains(step.Kind))
            {
                throw new ArgumentException($"{step.Mark}: {step.Kind} steps do not run under bench (the engine opens and closes the connections, and .NET's WebSocket does not show control frames); wsdoctor test runs them");
            }

            var name = _names.Contains(step.Label) ? $"{step.Label} (line {step.Mark.Line.ToString(CultureInfo.InvariantCulture)})" : step.Label;
            _stepIndex[step] = _names.Count;
            _names.Add(name);
            switch (step)
            {
                case RepeatStep repeat:
                    Index(repeat.Steps, inFlows);
                    break;
                case CallStep call when inFlows.Add(call.Flow):
                    Index(_flows[call.Flow].Steps, inFlows);
                    break;
            }
        }
    }

    private sealed class Conversation(ScenarioDriver driver, Variables variables) : IConversation
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private ReceivedMessage? _last;

        public async ValueTask<LoadError?> ExchangeAsync(WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            var (error, _) = await RunAsync(driver._scenario.Steps, socket, context, context.IntendedStart, ct).ConfigureAwait(false);
            return error;
        }

        private async ValueTask<(LoadError? Error, long End)> RunAsync(IReadOnlyList<Step> steps, WebSocket socket, ExchangeContext context, long since, CancellationToken ct)
        {
            foreach (var step in steps)
            {
                context.Progress();
                LoadError? error;
                try
                {
                    error = await StepAsync(step, socket, context, ct).ConfigureAwait(false);
                }
                catch (UnsetVariableException ex)
                {
                    error = Failed(step, "variable", Verbatim(ex.Message));
                }

                var end = Stopwatch.GetTimestamp();
                context.RecordStep(driver._stepIndex[step], end - since);
                since = end;
                if (error is not null)
                {
                    return (error, end);
                }
            }

            return (null, since);
        }

        private async ValueTask<LoadError?> StepAsync(Step step, WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            switch (step)
            {
                case SendStep send:
                    var (type, data) = StepSupport.Render(send.Payload, variables);
                    await socket.SendAsync(data, type, endOfMessage: true, ct).ConfigureAwait(false);
                    context.Sent(data.Length);
                    return null;
                case ExpectStep expect:
                    return await ExpectAsync(expect, socket, context, ct).ConfigureAwait(false);
                case CaptureStep capture:
                    return _last is null
                        ? Failed(step, "variable", T("there is no message to capture from yet", "还没有可以从中捕获的消息"))
                        : StepSupport.Apply(capture.Captures, _last, variables, []) is { } failure ? Failed(step, "variable", failure.Message) : null;
                case WaitStep wait:
                    await Task.Delay(wait.Duration, ct).ConfigureAwait(false);
                    return null;
                case RepeatStep repeat:
                    return await RepeatAsync(repeat, socket, context, ct).ConfigureAwait(false);
                case CallStep call:
                    variables.PushCall(StepSupport.With(call, variables));
                    try
                    {
                        return (await RunAsync(driver._flows[call.Flow].Steps, socket, context, Stopwatch.GetTimestamp(), ct).ConfigureAwait(false)).Error;
                    }
                    finally
                    {
                        variables.PopCall();
                    }

                default:
                    return Failed(step, "unsupported", T($"{step.Kind} steps do not run under bench", $"{step.Kind} 步骤不能在 bench 下运行"));
            }
        }

        private async ValueTask<LoadError?> RepeatAsync(RepeatStep step, WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            var begin = Stopwatch.GetTimestamp();
            var until = step.For is { } duration ? begin + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            variables.PushIteration();
            try
            {
                for (var i = 0; i < step.MaxIterations && (step.Times is { } times ? i < times : Stopwatch.GetTimestamp() < until); i++)
                {
                    if (step.Every is { } every && i > 0)
                    {
                        var next = begin + (long)(every.TotalSeconds * i * Stopwatch.Frequency);
                        if (step.Times is null && next >= until)
                        {
                            break;
                        }

                        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                        if (left > TimeSpan.Zero)
                        {
                            await Task.Delay(left, ct).ConfigureAwait(false);
                        }
                    }

                    variables.SetIteration(i + 1);
                    if ((await RunAsync(step.Steps, socket, context, Stopwatch.GetTimestamp(), ct).ConfigureAwait(false)).Error is { } error)
                    {
                        return error;
                    }
                }
            }
            finally
            {
                variables.PopIteration();
            }

            return null;
        }

        private async ValueTask<LoadError?> ExpectAsync(ExpectStep step, WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(step.Timeout);
            var skipped = 0;
            try
            {
                while (true)
                {
                    var message = await ReceiveAsync(socket, context, timeout.Token).ConfigureAwait(false);
                    if (message is null)
                    {
                        return ErrorClassifier.ClosedByServer(socket, ErrorStage.Message);
                    }

                    var match = MessageMatcher.Check(step.Match, message, variables);
                    if (match.Matched)
                    {
                        _last = message;
                        return StepSupport.Apply(step.Captures, message, variables, []) is { } failure ? Failed(step, "variable", failure.Message) : null;
                    }

                    if (!step.IgnoreOthers)
                    {
                        return Failed(step, "mismatch", T($"the next message does not match: {Join("; ", match.Problems)} (arrived: {message.Show(120)})", $"下一条消息不匹配：{Join(T("; ", "；"), match.Problems)}（收到的是：{message.Show(120)}）"));
                    }

                    if (++skipped > 10_000)
                    {
                        return Failed(step, "mismatch", T("10000 messages arrived and none matched", "收到了 10000 条消息，没有一条匹配"));
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The runtime aborts a WebSocket whose receive is cancelled: the engine reconnects.
                var others = skipped > 0 ? T($"; {skipped} other messages did", $"；收到了 {skipped} 条其他消息") : Text.Empty;
                return Failed(step, "timeout", T($"nothing matching arrived within {Protocol.Text.Durations.Format(step.Timeout)}{others.En}", $"{Protocol.Text.Durations.Format(step.Timeout)} 内没有收到匹配的消息{others}"));
            }
        }

        /// <summary>One whole data message; null for the server's Close. Larger than 16 MiB is an error.</summary>
        private async ValueTask<ReceivedMessage?> ReceiveAsync(WebSocket socket, ExchangeContext context, CancellationToken ct)
        {
            using var whole = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(_buffer.AsMemory(), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                context.Received(result.Count);
                if (whole.Length + result.Count > MaxMessageBytes)
                {
                    throw new WebSocketException(WebSocketError.Faulted, $"a message larger than {MaxMessageBytes / 1024 / 1024} MiB arrived");
                }

                whole.Write(_buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return new ReceivedMessage(result.MessageType == WebSocketMessageType.Text, whole.ToArray(), TimeSpan.Zero);
                }
            }
        }

        private static LoadError Failed(Step step, string what, Text message) =>
            new(Codes.SessionEchoMismatch, $"step {step.Label}: {what}", ErrorStage.Message, $"{step.Mark}: {message.En}") { Text = T($"{step.Mark}: {message.En}", $"{step.Mark}：{message}") };
    }
}
