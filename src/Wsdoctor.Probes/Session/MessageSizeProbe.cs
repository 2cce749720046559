using System.Diagnostics;
using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Session;

/// <summary>check --max-size-probe: the largest message the server accepts. Each size is tried on a fresh connection
/// (a refusal closes it): one text message of that size, then a ping; the pong means the message was read and
/// accepted, a Close (1009 is the standard answer) or a drop means it was refused. Sizes double from 16 KiB until
/// one is refused or the limit is reached, then bisection narrows the limit to within 1 %. Bounded by the number of
/// tries, the bytes sent and the deadline.</summary>
internal static class MessageSizeProbe
{
    private const long FirstSize = 16 * 1024;
    private const int MaxTries = 40;
    private static readonly TimeSpan SecondPingPause = TimeSpan.FromMilliseconds(200);

    private sealed record Outcome(bool Accepted, Text How, int? CloseCode);

    public static async Task RunAsync(DiagnosisContext ctx, TlsMaterial material)
    {
        if (!ctx.Options.MaxSizeProbe || ctx.Route is null)
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var limit = ctx.Options.MaxSizeLimit;
        var tried = new List<Text>();
        long accepted = 0;
        long? refused = null;
        Outcome? refusal = null;
        var size = Math.Min(FirstSize, limit);
        var tries = 0;
        long bytesSent = 0;
        while (tries < MaxTries && !ctx.Deadline.IsCancellationRequested)
        {
            tries++;
            bytesSent += size;
            var outcome = await TryAsync(ctx, material, size).ConfigureAwait(false);
            if (outcome is null)
            {
                tried.Add(T($"{Size(size)}: no WebSocket connection to try it on", $"{Size(size)}：没有可用于测试的 WebSocket 连接"));
                break;
            }

            tried.Add(T($"{Size(size)}: {outcome.How}", $"{Size(size)}：{outcome.How}"));
            if (outcome.Accepted)
            {
                accepted = size;
                if (refused is null)
                {
                    if (size == limit)
                    {
                        break;
                    }

                    size = Math.Min(size * 2, limit);
                    continue;
                }
            }
            else
            {
                // Sizes only shrink from here, so the latest refusal is the one closest to the limit.
                refused = size;
                refusal = outcome;
            }

            if (refused is { } r && (r - accepted) <= Math.Max(1, r / 100))
            {
                break;
            }

            size = accepted + (refused!.Value - accepted) / 2;
        }

        var ms = DiagnosisContext.Ms(start);
        var summary = refused is null
            ? T($"messages up to {Size(accepted)} accepted (--max-size-limit {Size(limit)})", $"不超过 {Size(accepted)} 的消息均可接受（--max-size-limit {Size(limit)}）")
            : T($"largest message accepted {Size(accepted)}, {Size(refused.Value)} refused ({refusal!.How})", $"最大可接受 {Size(accepted)} 的消息，{Size(refused.Value)} 的消息被拒绝（{refusal!.How}）");
        var previous = ctx.Layers.TryGetValue(Layer.Session, out var line) ? line.Summary : Text.Empty;
        if (refused is { } tooBig)
        {
            var serverHint = SettingHint(ctx.Facts.Server);
            var triedList = Text.Join(T("; ", "；"), tried);
            var within = (tooBig - accepted) * 100.0 / tooBig;
            var seconds = ms / 1000;
            ctx.Add(Finding.Create(Codes.SessionMessageTooBig,
                T($"the server accepts messages up to {Size(accepted)} and refuses {Size(tooBig)} with {refusal!.How}", $"服务端接受不超过 {Size(accepted)} 的消息，拒绝 {Size(tooBig)} 的消息：{refusal!.How}"),
                [T($"tried, on a fresh connection each (a text message, then a ping): {triedList}", $"每次在新连接上尝试（先发一条文本消息，再发一个 ping）：{triedList}"),
                 T($"limit between {accepted} and {tooBig} bytes (within {within:0.##} %), found with {tries} messages, {Size(bytesSent)} sent, in {seconds:0.0} s",
                     $"上限在 {accepted} 到 {tooBig} 字节之间（误差不超过 {within:0.##} %）；测量共用了 {tries} 条消息，发送 {Size(bytesSent)}，耗时 {seconds:0.0} s"),
                 refusal.CloseCode == 1009 ? T("1009 Message Too Big is the RFC 6455 answer to a message over the endpoint's limit", "按 RFC 6455，消息超出端点的上限时，应以 1009 Message Too Big 回应")
                     : refusal.CloseCode is { } other ? T($"the server closes with {other} ({CloseCodes.Describe(other).Name}) rather than 1009 Message Too Big", $"服务端以 {other}（{CloseCodes.Describe(other).Name}）关闭，而不是 1009 Message Too Big")
                     : T("the server drops the connection without a Close frame: browsers report 1006", "服务端不发 Close 帧就断开连接：浏览器会报告 1006"),
                 serverHint ?? T("the limit is the WebSocket server's own setting; nginx and HAProxy do not limit WebSocket message sizes", "这个上限是 WebSocket 服务端自己的设置；nginx 和 HAProxy 不限制 WebSocket 消息的大小")],
                T($"Raise the server's message limit above the largest message the application sends, or split messages into chunks below {Size(accepted)}. Common settings: Node ws maxPayload (default 100 MiB), Python websockets max_size (default 1 MiB), ASP.NET Core: the receive loop's own limit, Socket.IO maxHttpBufferSize (1 MB), SignalR MaximumReceiveMessageSize (32 KB), gorilla/websocket SetReadLimit, Spring/Tomcat maxTextMessageBufferSize (8 KiB).",
                    $"把服务端的消息上限调到高于应用发送的最大消息，或把消息拆成小于 {Size(accepted)} 的块。常见设置：Node ws maxPayload（默认 100 MiB）、Python websockets max_size（默认 1 MiB）、ASP.NET Core：接收循环自己的上限、Socket.IO maxHttpBufferSize（1 MB）、SignalR MaximumReceiveMessageSize（32 KB）、gorilla/websocket SetReadLimit、Spring/Tomcat maxTextMessageBufferSize（8 KiB）。"),
                new Dictionary<string, object?>
                {
                    ["acceptedBytes"] = accepted,
                    ["refusedBytes"] = tooBig,
                    ["closeCode"] = refusal.CloseCode,
                    ["refusal"] = refusal.How.En,
                    ["tries"] = tries,
                }));
        }

        ctx.Layer(Layer.Session, ctx.StatusOf(Layer.Session), (line?.DurationMs ?? 0) + ms, Text.Join(T("; ", "；"), new[] { previous, summary }.Where(s => s.En.Length > 0)));
    }

    private static async Task<Outcome?> TryAsync(DiagnosisContext ctx, TlsMaterial material, long size)
    {
        var opened = await FollowUpRequest.OpenAsync(ctx, ctx.Route, ctx.Target, ctx.Options.Origin, material).ConfigureAwait(false);
        if (opened is not { } o)
        {
            return null;
        }

        if (o.Result.Head?.StatusCode != 101)
        {
            await o.Stream.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var pump = new FramePump(o.Stream, o.Result.Leftover);
        await using (pump.ConfigureAwait(false))
        {
            var payload = new byte[size];
            payload.AsSpan().Fill((byte)'a');
            // Sending may itself fail half-way when the server closes as soon as the frame header announces the size.
            var timeout = ctx.Options.StepTimeout + TimeSpan.FromSeconds(size / (8.0 * 1024 * 1024));
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.Deadline);
            cts.CancelAfter(timeout);
            try
            {
                await pump.SendAsync(FrameWriter.Build(Opcode.Text, payload, mask: true), cts.Token).ConfigureAwait(false);
                await pump.SendAsync(FrameWriter.Build(Opcode.Ping, "size-probe"u8.ToArray(), mask: true), cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // Fall through: the answer (a Close frame, or the end) is already on its way.
            }
            catch (OperationCanceledException) when (!ctx.Deadline.IsCancellationRequested)
            {
                return new Outcome(false, T("no progress while sending", "发送停滞，没有进展"), null);
            }

            // A pong alone proves little: a server may answer the ping between reading the message and judging its
            // size (ASP.NET's WebSocket answers pings while the application is still receiving). After the first
            // pong, a short pause and a second ping: a refusal comes before the second pong.
            var pongs = 0;
            try
            {
                while (true)
                {
                    var e = await pump.NextAsync(cts.Token).ConfigureAwait(false);
                    switch (e)
                    {
                        case PongReceived when ++pongs == 1:
                            await Task.Delay(SecondPingPause, cts.Token).ConfigureAwait(false);
                            await pump.SendAsync(FrameWriter.Build(Opcode.Ping, "size-probe-2"u8.ToArray(), mask: true), cts.Token).ConfigureAwait(false);
                            break;
                        case PongReceived:
                            await SendCloseAsync(pump).ConfigureAwait(false);
                            return new Outcome(true, T("accepted", "已接受"), null);
                        case CloseReceived close:
                            return new Outcome(false, close.Code is { } c
                                ? T($"close {c} ({CloseCodes.Describe(c).Name}){(close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "")}", $"Close {c}（{CloseCodes.Describe(c).Name}）{(close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "")}")
                                : T("a Close frame without code", "不带关闭码的 Close 帧"), close.Code);
                        case null:
                            return new Outcome(false, T("a dropped connection (no Close frame)", "断开连接（没有 Close 帧）"), null);
                        case ProtocolViolation:
                            return new Outcome(false, T("a protocol violation", "协议违规"), null);
                    }
                }
            }
            catch (OperationCanceledException) when (!ctx.Deadline.IsCancellationRequested)
            {
                return new Outcome(false, T("no answer (the server stopped reading)", "没有回应（服务端不再读取数据）"), null);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                return new Outcome(false, T("a dropped connection (no Close frame)", "断开连接（没有 Close 帧）"), null);
            }
        }
    }

    private static async Task SendCloseAsync(FramePump pump)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await pump.SendAsync(FrameWriter.BuildClose(1000, "size probe done", mask: true), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Only politeness.
        }
    }

    /// <summary>The setting behind the limit, when the Server header names the library.</summary>
    private static Text? SettingHint(string? server) => server switch
    {
        null => null,
        _ when server.Contains("websockets", StringComparison.OrdinalIgnoreCase) => T($"Server: {server}: Python websockets, whose max_size defaults to 1 MiB (websockets.serve(..., max_size=...))", $"Server: {server}：Python websockets，其 max_size 默认为 1 MiB（websockets.serve(..., max_size=...)）"),
        _ when server.Contains("Kestrel", StringComparison.OrdinalIgnoreCase) => T($"Server: {server}: ASP.NET Core, where the application's receive loop sets the limit", $"Server: {server}：ASP.NET Core，上限由应用的接收循环决定"),
        _ => null,
    };

    public static Text Size(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? Verbatim($"{bytes / (1024 * 1024)} MiB")
        : bytes >= 1024 && bytes % 1024 == 0 ? Verbatim($"{bytes / 1024} KiB")
        : T($"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes", $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} 字节");
}
