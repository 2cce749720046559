using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Probes.Session;

/// <summary>The session layer, once the 101 is valid: a Ping and its Pong, an optional message round trip,
/// a short window for whatever the server sends unasked, and a clean close. Every wait is bounded.</summary>
internal sealed partial class SessionProbe
{
    private static readonly byte[] PingPayload = "wsdoctor-ping"u8.ToArray();
    private readonly DiagnosisContext ctx;
    private readonly FramePump pump;
    private readonly SessionTranscript transcript = new();
    private readonly long openedAt = Stopwatch.GetTimestamp();
    private int messagesReceived;
    private string? firstMessage;
    private bool ended;

    private SessionProbe(DiagnosisContext ctx, FramePump pump)
    {
        this.ctx = ctx;
        this.pump = pump;
        ctx.Transcript = transcript;
    }

    public static async Task RunAsync(DiagnosisContext ctx, Stream stream, byte[] leftover)
    {
        var pump = new FramePump(stream, leftover);
        await using (pump.ConfigureAwait(false))
        {
            await new SessionProbe(ctx, pump).RunAsync().ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var steps = new List<string>();
        await PingAsync(steps).ConfigureAwait(false);
        if (!ended && ctx.Options.Send is { } message)
        {
            await RoundTripAsync(message, steps).ConfigureAwait(false);
        }

        if (!ended && ctx.Options.Idle is { } idle)
        {
            await IdleAsync(idle, steps).ConfigureAwait(false);
        }

        if (!ended)
        {
            await WaitAsync(ctx.Options.ObserveWindow, _ => false).ConfigureAwait(false);
        }

        if (!ended)
        {
            steps.Add(await CloseAsync().ConfigureAwait(false));
        }

        if (messagesReceived > 0)
        {
            steps.Add($"{messagesReceived} message(s) received{(firstMessage is null ? "" : $", first: {firstMessage}")}");
        }

        var failure = ctx.Findings.FirstOrDefault(f => f.Layer == Layer.Session && f.Severity == Severity.Error);
        if (failure is not null)
        {
            steps.Insert(0, failure.Message.En);
        }

        ctx.Layer(Layer.Session, ctx.StatusOf(Layer.Session), DiagnosisContext.Ms(openedAt), string.Join("; ", steps));
    }

    private async Task PingAsync(List<string> steps)
    {
        var sent = Stopwatch.GetTimestamp();
        if (!await SendAsync(FrameWriter.Build(Opcode.Ping, PingPayload, mask: true)).ConfigureAwait(false))
        {
            return;
        }

        var pong = await WaitAsync(ctx.Options.StepTimeout, e => e is PongReceived p && p.Payload.AsSpan().SequenceEqual(PingPayload)).ConfigureAwait(false);
        if (pong)
        {
            var rtt = DiagnosisContext.Ms(sent);
            ctx.Timings = ctx.Timings with { PingRttMs = rtt };
            steps.Add($"ping/pong {rtt:0.#} ms");
        }
        else if (!ended)
        {
            ctx.Add(Finding.Create(Codes.SessionNoPong, $"no Pong within {ctx.Options.StepTimeout.TotalSeconds:0.#} s of our Ping",
                [$"Ping sent with payload \"{Encoding.ASCII.GetString(PingPayload)}\"", $"waited {DiagnosisContext.Ms(sent) / 1000:0.0} s; {messagesReceived} message(s) arrived meanwhile, no Pong",
                 "RFC 6455 5.5.2: an endpoint MUST send a Pong in response to a Ping"],
                data: new Dictionary<string, object?> { ["waitedMs"] = Math.Round(DiagnosisContext.Ms(sent)) }));
            steps.Add("no pong");
        }
    }

    private async Task RoundTripAsync(string message, List<string> steps)
    {
        Regex? expect = null;
        if (ctx.Options.Expect is { } pattern)
        {
            expect = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }

        var before = messagesReceived;
        var sent = Stopwatch.GetTimestamp();
        if (!await SendAsync(FrameWriter.Build(Opcode.Text, Encoding.UTF8.GetBytes(message), mask: true)).ConfigureAwait(false))
        {
            return;
        }

        transcript.Sent = message;

        var got = await WaitAsync(ctx.Options.StepTimeout, e => e is MessageReceived m &&
            (expect is null || expect.IsMatch(m.Opcode == Opcode.Text ? Encoding.UTF8.GetString(m.Payload) : Convert.ToHexString(m.Payload)))).ConfigureAwait(false);
        if (got)
        {
            var rtt = DiagnosisContext.Ms(sent);
            ctx.Timings = ctx.Timings with { FirstMessageRttMs = rtt };
            steps.Add($"message round trip {rtt:0.#} ms");
        }
        else if (!ended)
        {
            ctx.Add(Finding.Create(Codes.SessionEchoMismatch,
                expect is null ? "no reply to the message within the timeout" : $"no message matching /{ctx.Options.Expect}/ within {ctx.Options.StepTimeout.TotalSeconds:0.#} s",
                [$"sent: {Preview(message)}", $"received {messagesReceived - before} message(s) after it{(firstMessage is null ? "" : $"; first message of the session: {firstMessage}")}"],
                data: new Dictionary<string, object?> { ["expect"] = ctx.Options.Expect, ["received"] = messagesReceived - before }));
            steps.Add("no matching reply");
        }
    }

    private async Task<string> CloseAsync()
    {
        if (!await SendAsync(FrameWriter.BuildClose(1000, "wsdoctor check done", mask: true)).ConfigureAwait(false))
        {
            return "close not sent";
        }

        var timeout = TimeSpan.FromMilliseconds(Math.Min(ctx.Options.StepTimeout.TotalMilliseconds, 2000));
        using var cts = ctx.Step(timeout);
        try
        {
            while (true)
            {
                var e = await pump.NextAsync(cts.Token).ConfigureAwait(false);
                switch (e)
                {
                    case null:
                        return "closed (the server dropped TCP without echoing the Close frame)";
                    case CloseReceived close:
                        return $"clean close ({close.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"})";
                    case ProtocolViolation violation:
                        Violation(violation);
                        return "protocol violation during close";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "the server did not answer our Close frame";
        }
    }

    /// <summary>Handles events until <paramref name="until"/> matches (true), the time runs out (false) or the connection ends (false, ended).</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, Func<FrameEvent, bool> until)
    {
        using var cts = ctx.Step(timeout);
        try
        {
            while (true)
            {
                var e = await pump.NextAsync(cts.Token).ConfigureAwait(false);
                if (e is not null && until(e))
                {
                    Count(e);
                    return true;
                }

                switch (e)
                {
                    case null:
                        Abnormal();
                        return false;
                    case CloseReceived close:
                        ClosedByServer(close);
                        return false;
                    case ProtocolViolation violation:
                        Violation(violation);
                        return false;
                    case PingReceived ping:
                        await SendAsync(FrameWriter.Build(Opcode.Pong, ping.Payload, mask: true)).ConfigureAwait(false);
                        break;
                    default:
                        Count(e);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Count(FrameEvent e)
    {
        if (e is MessageReceived m)
        {
            messagesReceived++;
            transcript.Add(m.Opcode, m.Payload);
            firstMessage ??= m.Opcode == Opcode.Text ? Preview(Encoding.UTF8.GetString(m.Payload)) : $"{m.Payload.Length} bytes binary";
        }
    }

    private async Task<bool> SendAsync(byte[] frame)
    {
        using var cts = ctx.Step();
        try
        {
            await pump.SendAsync(frame, cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Abnormal($"sending failed: {Net.ExceptionText.Chain(ex)}");
            return false;
        }
    }

    private void ClosedByServer(CloseReceived close)
    {
        ended = true;
        transcript.Close = (close.Code, close.Reason);
        transcript.EndedAfterSend = transcript.Sent is not null;
        var after = DiagnosisContext.Ms(openedAt);
        var data = new Dictionary<string, object?> { ["closeCode"] = close.Code, ["closeReason"] = close.Reason, ["afterMs"] = Math.Round(after) };
        if (close.Code is not { } code)
        {
            ctx.Add(Finding.Create(Codes.SessionClosedByServer, $"the server closed the connection after {after:0} ms without a status code",
                ["Close frame with an empty payload (seen by browsers as 1005 no status received)"], data: data));
            return;
        }

        var info = CloseCodes.Describe(code);
        if (code == 1008)
        {
            // A policy close right after the handshake is usually authentication: the token findings explain it.
            ctx.Escalate(Codes.AuthTokenExpired);
            ctx.Escalate(Codes.AuthTokenNotYetValid);
        }

        var reason = close.Reason.Length == 0 ? "no reason given" : $"reason \"{close.Reason}\"";
        ctx.Add(Finding.Create(Codes.SessionClosedByServer,
            $"the server closed with {code} ({info.Name}), {reason}, {after:0} ms after the handshake",
            [$"Close frame: code {code}, {reason}", $"{code} {info.Name}: {info.Meaning}", $"likely cause: {info.LikelyCause}"],
            info.Fix, data));
    }

    private void Violation(ProtocolViolation violation)
    {
        ended = true;
        ctx.Add(Finding.Create(Codes.SessionProtocolViolation, $"the server broke RFC 6455: {violation.Kind}",
            [violation.Description],
            data: new Dictionary<string, object?> { ["violation"] = violation.Kind.ToString(), ["offset"] = violation.Offset }));
    }

    private void Abnormal(string? detail = null)
    {
        if (ended)
        {
            return;
        }

        ended = true;
        transcript.Dropped = true;
        transcript.EndedAfterSend = transcript.Sent is not null;
        var after = DiagnosisContext.Ms(openedAt);
        var evidence = new List<string>
        {
            $"the TCP connection ended {after:0} ms after the handshake without a Close frame",
            $"{pump.BytesReceived} byte(s) of frames received before that; browsers report this as close code 1006",
        };
        if ((detail ?? pump.EndError) is { } error)
        {
            evidence.Add(error);
        }

        ctx.Add(Finding.Create(Codes.SessionAbnormalClose, $"the connection dropped {after:0} ms after opening, without a Close frame (1006)",
            evidence, data: new Dictionary<string, object?> { ["afterMs"] = Math.Round(after) }));
    }

    private static string Preview(string text) =>
        text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..60]}…\" ({text.Length} chars)";
}
