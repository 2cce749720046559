using System.Diagnostics;
using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Session;

/// <summary>check --idle: silence after the upgrade, measured. Our own frame pump sends nothing by itself (unlike
/// ClientWebSocket, which pongs unasked every 30 s, and most libraries, which ping), so the connection is truly idle
/// unless the server speaks. How it ends tells who ended it: a Close frame is the server application, FIN or RST
/// without one is an intermediary, and a connection that looks alive but no longer answers a ping after the
/// silence is a stateful box (NAT, L4 load balancer) that forgot the flow.</summary>
internal sealed partial class SessionProbe
{
    private enum IdleEnd
    {
        Survived,
        Close,
        Fin,
        Reset,
        Violation,
    }

    private async Task IdleAsync(TimeSpan idle, List<Text> steps)
    {
        var keepalive = ctx.Options.IdleKeepalive;
        var silentSince = Stopwatch.GetTimestamp();
        var pingsSent = 0;
        var pongs = 0;
        var serverPings = 0;
        var nextPing = keepalive is { } k ? silentSince + (long)(k.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var endAt = silentSince + (long)(idle.TotalSeconds * Stopwatch.Frequency);
        var end = IdleEnd.Survived;
        CloseReceived? close = null;
        while (end == IdleEnd.Survived && Stopwatch.GetTimestamp() < endAt)
        {
            var wakeAt = Math.Min(endAt, nextPing);
            var wait = TimeSpan.FromSeconds(Math.Max(0, (wakeAt - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.Deadline);
            cts.CancelAfter(wait);
            FrameEvent? e;
            try
            {
                e = await pump.NextAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ctx.Deadline.IsCancellationRequested)
            {
                if (Stopwatch.GetTimestamp() >= nextPing)
                {
                    if (!await SendQuietlyAsync(FrameWriter.Build(Opcode.Ping, PingPayload, mask: true)).ConfigureAwait(false))
                    {
                        end = IdleEnd.Reset;
                        break;
                    }

                    pingsSent++;
                    nextPing = Stopwatch.GetTimestamp() + (long)(keepalive!.Value.TotalSeconds * Stopwatch.Frequency);
                }

                continue;
            }

            switch (e)
            {
                case null:
                    end = pump.EndError is { } error && error.Contains("reset", StringComparison.OrdinalIgnoreCase) ? IdleEnd.Reset : IdleEnd.Fin;
                    break;
                case CloseReceived c:
                    close = c;
                    end = IdleEnd.Close;
                    break;
                case ProtocolViolation violation:
                    Violation(violation);
                    end = IdleEnd.Violation;
                    break;
                case PingReceived ping:
                    serverPings++;
                    await SendQuietlyAsync(FrameWriter.Build(Opcode.Pong, ping.Payload, mask: true)).ConfigureAwait(false);
                    break;
                case PongReceived:
                    pongs++;
                    break;
                default:
                    Count(e);
                    break;
            }
        }

        var silentSeconds = (Stopwatch.GetTimestamp() - silentSince) / (double)Stopwatch.Frequency;
        var openSeconds = DiagnosisContext.Ms(openedAt) / 1000;
        var traffic = new IdleTraffic(keepalive, pingsSent, pongs, serverPings, messagesReceived);
        switch (end)
        {
            case IdleEnd.Violation:
                steps.Add(T($"protocol violation after {silentSeconds:0.0} s", $"{silentSeconds:0.0} s 后出现协议违规"));
                return;
            case IdleEnd.Survived:
                await AfterSilenceAsync(idle, traffic, steps).ConfigureAwait(false);
                return;
            default:
                ended = true;
                var seconds = keepalive is null && serverPings == 0 ? silentSeconds : openSeconds;
                ctx.Add(IdleFindings.Cut(ctx, end switch { IdleEnd.Close => "close", IdleEnd.Reset => "rst", _ => "fin" }, close, seconds, silentSeconds, openSeconds, traffic));
                var cutAfter = seconds.ToString("0.0", CultureInfo.InvariantCulture);
                var by = end == IdleEnd.Close ? $"Close {close?.Code}" : end == IdleEnd.Reset ? "RST" : "FIN";
                steps.Add(T($"cut after {cutAfter} s ({by})", $"{cutAfter} s 后被切断（{by}）"));
                return;
        }
    }

    /// <summary>The silence was not cut. A box that forgot the flow does not say so until the next packet: ping once.</summary>
    private async Task AfterSilenceAsync(TimeSpan idle, IdleTraffic traffic, List<Text> steps)
    {
        var sent = Stopwatch.GetTimestamp();
        if (!await SendQuietlyAsync(FrameWriter.Build(Opcode.Ping, PingPayload, mask: true)).ConfigureAwait(false))
        {
            ended = true;
            ctx.Add(IdleFindings.Forgotten(idle, "rst", pump.EndError is { } sendError ? Verbatim(sendError) : T("sending failed", "发送失败"), traffic));
            steps.Add(T("the ping after the silence failed", "静默之后的 ping 发送失败"));
            return;
        }

        using var cts = ctx.Step();
        try
        {
            while (true)
            {
                var e = await pump.NextAsync(cts.Token).ConfigureAwait(false);
                switch (e)
                {
                    case PongReceived p when p.Payload.AsSpan().SequenceEqual(PingPayload):
                        var waited = idle.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                        var pongMs = DiagnosisContext.Ms(sent);
                        steps.Add(traffic.Keepalive is null
                            ? T($"{waited} s of silence: still open (pong in {pongMs:0} ms)", $"静默 {waited} s：连接仍然畅通（{pongMs:0} ms 后收到 pong）")
                            : T($"{waited} s with pings: still open (pong in {pongMs:0} ms)", $"带 ping 等待 {waited} s：连接仍然畅通（{pongMs:0} ms 后收到 pong）"));
                        return;
                    case null:
                        ended = true;
                        var reset = pump.EndError is { } error && error.Contains("reset", StringComparison.OrdinalIgnoreCase);
                        ctx.Add(IdleFindings.Forgotten(idle, reset ? "rst" : "fin", pump.EndError is { } endError ? Verbatim(endError) : T("the connection ended at our ping", "连接在我们发出 ping 时断开"), traffic));
                        steps.Add(reset ? T("RST at the ping after the silence", "静默之后的 ping 收到 RST") : T("FIN at the ping after the silence", "静默之后的 ping 收到 FIN"));
                        return;
                    case CloseReceived close:
                        ClosedByServer(close);
                        return;
                    case PingReceived ping:
                        await SendQuietlyAsync(FrameWriter.Build(Opcode.Pong, ping.Payload, mask: true)).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            ended = true;
            var timeout = ctx.Options.StepTimeout.TotalSeconds;
            ctx.Add(IdleFindings.Forgotten(idle, "silent", T($"no answer to a ping within {timeout:0.#} s", $"{timeout:0.#} s 内 ping 没有回应"), traffic));
            steps.Add(T("no answer to the ping after the silence", "静默之后的 ping 没有回应"));
        }
    }

    /// <summary>A send that reports failure instead of turning it into session.abnormal-close.</summary>
    private async Task<bool> SendQuietlyAsync(byte[] frame)
    {
        using var cts = ctx.Step();
        try
        {
            await pump.SendAsync(frame, cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}

/// <summary>What moved during the --idle wait (or, for watch, during one connection's life).</summary>
public sealed record IdleTraffic(TimeSpan? Keepalive, int PingsSent, int Pongs, int ServerPings, int Messages);
