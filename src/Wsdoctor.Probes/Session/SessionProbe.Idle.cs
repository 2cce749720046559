using System.Diagnostics;
using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Protocol.Frames;

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

    private async Task IdleAsync(TimeSpan idle, List<string> steps)
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
                steps.Add($"protocol violation after {silentSeconds:0.0} s");
                return;
            case IdleEnd.Survived:
                await AfterSilenceAsync(idle, traffic, steps).ConfigureAwait(false);
                return;
            default:
                ended = true;
                var seconds = keepalive is null && serverPings == 0 ? silentSeconds : openSeconds;
                ctx.Add(IdleFindings.Cut(ctx, end switch { IdleEnd.Close => "close", IdleEnd.Reset => "rst", _ => "fin" }, close, seconds, silentSeconds, openSeconds, traffic));
                steps.Add($"cut after {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({(end == IdleEnd.Close ? $"Close {close?.Code}" : end == IdleEnd.Reset ? "RST" : "FIN")})");
                return;
        }
    }

    /// <summary>The silence was not cut. A box that forgot the flow does not say so until the next packet: ping once.</summary>
    private async Task AfterSilenceAsync(TimeSpan idle, IdleTraffic traffic, List<string> steps)
    {
        var sent = Stopwatch.GetTimestamp();
        if (!await SendQuietlyAsync(FrameWriter.Build(Opcode.Ping, PingPayload, mask: true)).ConfigureAwait(false))
        {
            ended = true;
            ctx.Add(IdleFindings.Forgotten(idle, "rst", pump.EndError ?? "sending failed", traffic));
            steps.Add("the ping after the silence failed");
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
                        steps.Add($"{idle.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s {(traffic.Keepalive is null ? "of silence" : "with pings")}: still open (pong in {DiagnosisContext.Ms(sent):0} ms)");
                        return;
                    case null:
                        ended = true;
                        var reset = pump.EndError is { } error && error.Contains("reset", StringComparison.OrdinalIgnoreCase);
                        ctx.Add(IdleFindings.Forgotten(idle, reset ? "rst" : "fin", pump.EndError ?? "the connection ended at our ping", traffic));
                        steps.Add(reset ? "RST at the ping after the silence" : "FIN at the ping after the silence");
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
            ctx.Add(IdleFindings.Forgotten(idle, "silent", $"no answer to a ping within {ctx.Options.StepTimeout.TotalSeconds:0.#} s", traffic));
            steps.Add("no answer to the ping after the silence");
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
