using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

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
    private Text? firstMessage;
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
        var steps = new List<Text>();
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
            var first = firstMessage is null ? Text.Empty : T($", first: {firstMessage}", $"，第一条：{firstMessage}");
            steps.Add(T($"{messagesReceived} message(s) received{first}", $"收到 {messagesReceived} 条消息{first}"));
        }

        var failure = ctx.Findings.FirstOrDefault(f => f.Layer == Layer.Session && f.Severity == Severity.Error);
        if (failure is not null)
        {
            steps.Insert(0, failure.Message);
        }

        ctx.Layer(Layer.Session, ctx.StatusOf(Layer.Session), DiagnosisContext.Ms(openedAt), Text.Join(T("; ", "；"), steps));
    }

    private async Task PingAsync(List<Text> steps)
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
            steps.Add(T($"ping/pong {rtt:0.#} ms", $"ping/pong {rtt:0.#} ms"));
        }
        else if (!ended)
        {
            var timeout = ctx.Options.StepTimeout.TotalSeconds;
            var waited = DiagnosisContext.Ms(sent) / 1000;
            var payload = Encoding.ASCII.GetString(PingPayload);
            ctx.Add(Finding.Create(Codes.SessionNoPong, T($"no Pong within {timeout:0.#} s of our Ping", $"发出 Ping 后 {timeout:0.#} s 内没有收到 Pong"),
                [T($"Ping sent with payload \"{payload}\"", $"已发送 Ping，负载为 \"{payload}\""),
                 T($"waited {waited:0.0} s; {messagesReceived} message(s) arrived meanwhile, no Pong", $"等待了 {waited:0.0} s；期间收到 {messagesReceived} 条消息，没有 Pong"),
                 T("RFC 6455 5.5.2: an endpoint MUST send a Pong in response to a Ping", "RFC 6455 5.5.2：端点收到 Ping 后必须回复 Pong")],
                data: new Dictionary<string, object?> { ["waitedMs"] = Math.Round(DiagnosisContext.Ms(sent)) }));
            steps.Add(T("no pong", "没有 pong"));
        }
    }

    private async Task RoundTripAsync(string message, List<Text> steps)
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
            steps.Add(T($"message round trip {rtt:0.#} ms", $"消息往返 {rtt:0.#} ms"));
        }
        else if (!ended)
        {
            var timeout = ctx.Options.StepTimeout.TotalSeconds;
            var received = messagesReceived - before;
            var sentPreview = Preview(message);
            var first = firstMessage is null ? Text.Empty : T($"; first message of the session: {firstMessage}", $"；本次会话的第一条消息：{firstMessage}");
            ctx.Add(Finding.Create(Codes.SessionEchoMismatch,
                expect is null ? T("no reply to the message within the timeout", "在超时时间内没有收到这条消息的回复") : T($"no message matching /{ctx.Options.Expect}/ within {timeout:0.#} s", $"{timeout:0.#} s 内没有收到匹配 /{ctx.Options.Expect}/ 的消息"),
                [T($"sent: {sentPreview}", $"已发送：{sentPreview}"), T($"received {received} message(s) after it{first}", $"之后收到 {received} 条消息{first}")],
                data: new Dictionary<string, object?> { ["expect"] = ctx.Options.Expect, ["received"] = messagesReceived - before }));
            steps.Add(T("no matching reply", "没有匹配的回复"));
        }
    }

    private async Task<Text> CloseAsync()
    {
        if (!await SendAsync(FrameWriter.BuildClose(1000, "wsdoctor check done", mask: true)).ConfigureAwait(false))
        {
            return T("close not sent", "Close 帧未发出");
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
                        return T("closed (the server dropped TCP without echoing the Close frame)", "已关闭（服务端没有回送 Close 帧就断开了 TCP）");
                    case CloseReceived close:
                        var code = close.Code is { } c ? Verbatim(c.ToString(System.Globalization.CultureInfo.InvariantCulture)) : T("no code", "无关闭码");
                        return T($"clean close ({code})", $"正常关闭（{code}）");
                    case ProtocolViolation violation:
                        Violation(violation);
                        return T("protocol violation during close", "关闭过程中出现协议违规");
                }
            }
        }
        catch (OperationCanceledException)
        {
            return T("the server did not answer our Close frame", "服务端没有回应我们的 Close 帧");
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
            firstMessage ??= m.Opcode == Opcode.Text ? Preview(Encoding.UTF8.GetString(m.Payload)) : T($"{m.Payload.Length} bytes binary", $"{m.Payload.Length} 字节的二进制数据");
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
            var error = Net.ExceptionText.Chain(ex);
            Abnormal(T($"sending failed: {error}", $"发送失败：{error}"));
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
            ctx.Add(Finding.Create(Codes.SessionClosedByServer, T($"the server closed the connection after {after:0} ms without a status code", $"服务端在 {after:0} ms 后关闭了连接，没有给出关闭码"),
                [T("Close frame with an empty payload (seen by browsers as 1005 no status received)", "Close 帧的负载为空（浏览器看到的是 1005：没有收到关闭码）")], data: data));
            return;
        }

        var info = CloseCodes.Describe(code);
        if (code == 1008)
        {
            // A policy close right after the handshake is usually authentication: the token findings explain it.
            ctx.Escalate(Codes.AuthTokenExpired);
            ctx.Escalate(Codes.AuthTokenNotYetValid);
        }

        var reason = close.Reason.Length == 0 ? T("no reason given", "没有给出原因") : T($"reason \"{close.Reason}\"", $"原因 \"{close.Reason}\"");
        var meaning = SessionTexts.Meaning(info);
        var cause = SessionTexts.LikelyCause(info);
        ctx.Add(Finding.Create(Codes.SessionClosedByServer,
            T($"the server closed with {code} ({info.Name}), {reason}, {after:0} ms after the handshake", $"服务端在握手后 {after:0} ms 以 {code}（{info.Name}）关闭了连接，{reason}"),
            [T($"Close frame: code {code}, {reason}", $"Close 帧：关闭码 {code}，{reason}"), T($"{code} {info.Name}: {meaning}", $"{code} {info.Name}：{meaning}"), T($"likely cause: {cause}", $"可能的原因：{cause}")],
            SessionTexts.Fix(info), data));
    }

    private void Violation(ProtocolViolation violation)
    {
        ended = true;
        ctx.Add(Finding.Create(Codes.SessionProtocolViolation, T($"the server broke RFC 6455: {violation.Kind}", $"服务端违反了 RFC 6455：{SessionTexts.Rule(violation.Kind)}"),
            [SessionTexts.Violation(violation)],
            data: new Dictionary<string, object?> { ["violation"] = violation.Kind.ToString(), ["offset"] = violation.Offset }));
    }

    private void Abnormal(Text? detail = null)
    {
        if (ended)
        {
            return;
        }

        ended = true;
        transcript.Dropped = true;
        transcript.EndedAfterSend = transcript.Sent is not null;
        var after = DiagnosisContext.Ms(openedAt);
        var evidence = new List<Text>
        {
            T($"the TCP connection ended {after:0} ms after the handshake without a Close frame", $"握手后 {after:0} ms，TCP 连接断开了，没有收到 Close 帧"),
            T($"{pump.BytesReceived} byte(s) of frames received before that; browsers report this as close code 1006", $"断开前共收到 {pump.BytesReceived} 字节的帧；浏览器遇到这种情况会报告关闭码 1006"),
        };
        if ((detail ?? (pump.EndError is { } endError ? Verbatim(endError) : null)) is { } error)
        {
            evidence.Add(error);
        }

        ctx.Add(Finding.Create(Codes.SessionAbnormalClose, T($"the connection dropped {after:0} ms after opening, without a Close frame (1006)", $"连接在打开 {after:0} ms 后断开，没有 Close 帧（1006）"),
            evidence, data: new Dictionary<string, object?> { ["afterMs"] = Math.Round(after) }));
    }

    private static Text Preview(string text) =>
        text.Length <= 60 ? Verbatim($"\"{text}\"") : T($"\"{text[..60]}…\" ({text.Length} chars)", $"\"{text[..60]}…\"（共 {text.Length} 个字符）");
}
