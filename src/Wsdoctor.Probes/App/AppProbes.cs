using System.Globalization;
using System.Text;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Probes.Http;
using Wsdoctor.Probes.Session;
using Wsdoctor.Probes.Tls;
using Wsdoctor.Protocol.Frames;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.App;

/// <summary>A plain HTTP answer to a confirming request (Engine.IO's polling handshake, SignalR's negotiate).</summary>
internal sealed record HttpAnswer(int Status, string Reason, string ContentType, string Body)
{
    public Text Describe(Text request)
    {
        var body = Body.Length == 0 ? T("empty body", "响应体为空") : Verbatim(AppSignals.Preview(Body.ReplaceLineEndings(" ")));
        return T($"{request} -> {Status} {Reason}, {body}", $"{request} -> {Status} {Reason}，{body}");
    }
}

/// <summary>What one confirming WebSocket connection got: the status, the subprotocol selected, the first messages,
/// how it ended.</summary>
internal sealed record WsAnswer(int? Status, string? Selected, IReadOnlyList<SessionMessage> Messages, (int? Code, string Reason)? Close, bool Dropped)
{
    public bool Upgraded => Status == 101;

    public string? FirstText => Messages.FirstOrDefault(m => m.Opcode == Opcode.Text) is { } m ? Encoding.UTF8.GetString(m.Payload) : null;

    public byte[]? FirstBinary => Messages.FirstOrDefault(m => m.Opcode == Opcode.Binary)?.Payload;

    public Text Describe(Text request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Status is null)
        {
            return T($"{request} -> no answer", $"{request} -> 没有响应");
        }

        if (!Upgraded)
        {
            return T($"{request} -> {Status}", $"{request} -> {Status}");
        }

        var parts = new List<Text> { Selected is null ? T("101 without a subprotocol", "101，未选择子协议") : T($"101 selecting {Selected}", $"101，选择了 {Selected}") };
        if (Messages.Count > 0)
        {
            var m = Messages[0];
            if (m.Opcode == Opcode.Text)
            {
                var preview = AppSignals.Preview(Encoding.UTF8.GetString(m.Payload).ReplaceLineEndings("\\n").Replace("\0", "\\0", StringComparison.Ordinal));
                parts.Add(T($"first message {preview}", $"第一条消息 {preview}"));
            }
            else
            {
                var hex = Convert.ToHexString(m.Payload.AsSpan(0, Math.Min(m.Payload.Length, 16)));
                parts.Add(T($"first message {hex} ({m.Payload.Length} bytes binary)", $"第一条消息 {hex}（{m.Payload.Length} 字节二进制数据）"));
            }
        }

        if (Close is { } close)
        {
            var reason = close.Reason.Length > 0 ? $" \"{close.Reason}\"" : "";
            parts.Add(close.Code is { } code
                ? T($"closed with {code.ToString(CultureInfo.InvariantCulture)}{reason}", $"以 {code.ToString(CultureInfo.InvariantCulture)}{reason} 关闭")
                : T($"closed with an empty Close{reason}", $"以空的 Close 帧{reason}关闭"));
        }
        else if (Dropped)
        {
            parts.Add(T("dropped without a Close frame", "没发 Close 帧就断开了"));
        }
        else if (Messages.Count == 0)
        {
            parts.Add(T("no message", "没有消息"));
        }

        var all = Text.Join(T(", ", "，"), parts);
        return T($"{request} -> {all}", $"{request} -> {all}");
    }
}

/// <summary>The app layer's follow-up requests, on fresh connections along the main attempt's route, each bounded by the
/// follow-up timeout (at most 2 s) and the overall deadline.</summary>
internal sealed class AppProbes(DiagnosisContext ctx, TlsMaterial material)
{
    public int Count { get; private set; }

    private TimeSpan Timeout => TlsFailure.FollowUpTimeout(ctx);

    public async Task<HttpAnswer?> HttpAsync(string method, string pathAndQuery)
    {
        Count++;
        var target = ctx.Target.WithPathAndQuery(pathAndQuery);
        var stream = await FollowUpRequest.OpenTransportAsync(ctx, ctx.Route, target, material).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            var head = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{method} {pathAndQuery} HTTP/1.1\r\n")
                .Append(CultureInfo.InvariantCulture, $"Host: {target.HostHeader}\r\n")
                .Append(CultureInfo.InvariantCulture, $"User-Agent: {UpgradeRequestSpec.UserAgent}\r\n")
                .Append("Accept: */*\r\n");
            if (ctx.Options.Origin is { } origin)
            {
                head.Append(CultureInfo.InvariantCulture, $"Origin: {origin}\r\n");
            }

            if (ctx.Options.Cookie is { } cookie)
            {
                head.Append(CultureInfo.InvariantCulture, $"Cookie: {cookie}\r\n");
            }

            head.Append("Content-Length: 0\r\nConnection: close\r\n\r\n");
            var result = await UpgradeExchange.RunAsync(stream, head.ToString(), Timeout, ctx.Options.Time, ctx.Deadline).ConfigureAwait(false);
            if (result.Head is not { } response)
            {
                return null;
            }

            var body = response.Get("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true
                ? Unchunk(result.Body)
                : Encoding.UTF8.GetString(result.Body);
            return new HttpAnswer(response.StatusCode, response.Reason, response.Get("Content-Type") ?? "", body);
        }
    }

    /// <summary>Opens a WebSocket at <paramref name="pathAndQuery"/> offering <paramref name="subprotocols"/>, sends
    /// <paramref name="first"/> and collects what comes back until the first data message, the end, or the timeout.</summary>
    public async Task<WsAnswer?> WebSocketAsync(string pathAndQuery, IReadOnlyList<string> subprotocols, Opcode opcode, byte[]? first)
    {
        Count++;
        var target = ctx.Target.WithPathAndQuery(pathAndQuery);
        var variant = ctx.Options with
        {
            Subprotocols = subprotocols,
            Headers = [.. ctx.Options.Headers.Where(h => !h.Name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))],
        };
        var opened = await FollowUpRequest.OpenAsync(ctx, ctx.Route, target, ctx.Options.Origin, material, variant).ConfigureAwait(false);
        if (opened is not { } o)
        {
            return null;
        }

        if (o.Result.Head is not { StatusCode: 101 } head)
        {
            await o.Stream.DisposeAsync().ConfigureAwait(false);
            return new WsAnswer(o.Result.Head?.StatusCode, null, [], null, false);
        }

        var pump = new FramePump(o.Stream, o.Result.Leftover);
        await using (pump.ConfigureAwait(false))
        {
            var messages = new List<SessionMessage>();
            (int? Code, string Reason)? close = null;
            var dropped = false;
            using var cts = ctx.Step(Timeout);
            try
            {
                if (first is not null)
                {
                    await pump.SendAsync(FrameWriter.Build(opcode, first, mask: true), cts.Token).ConfigureAwait(false);
                }

                while (messages.Count == 0)
                {
                    var e = await pump.NextAsync(cts.Token).ConfigureAwait(false);
                    switch (e)
                    {
                        case null or ProtocolViolation:
                            dropped = true;
                            break;
                        case CloseReceived c:
                            close = (c.Code, c.Reason);
                            break;
                        case MessageReceived m:
                            messages.Add(new SessionMessage(m.Opcode, m.Payload.Length <= SessionTranscript.MaxBytes ? m.Payload : m.Payload[..SessionTranscript.MaxBytes]));
                            break;
                        case PingReceived ping:
                            await pump.SendAsync(FrameWriter.Build(Opcode.Pong, ping.Payload, mask: true), cts.Token).ConfigureAwait(false);
                            break;
                    }

                    if (dropped || close is not null)
                    {
                        break;
                    }
                }

                if (close is null && !dropped)
                {
                    await pump.SendAsync(FrameWriter.BuildClose(1000, "wsdoctor check done", mask: true), cts.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // What arrived in time is the answer.
            }

            return new WsAnswer(101, head.Get("Sec-WebSocket-Protocol"), messages, close, dropped);
        }
    }

    /// <summary>HTTP/1.1 chunked coding (RFC 9112 7.1): size lines in hex, each chunk, a zero-size end.</summary>
    private static string Unchunk(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var output = new StringBuilder();
        var i = 0;
        for (var guard = 0; guard < 1000 && i < text.Length; guard++)
        {
            var lineEnd = text.IndexOf("\r\n", i, StringComparison.Ordinal);
            if (lineEnd < 0 || !int.TryParse(text.AsSpan(i, lineEnd - i).ToString().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            var start = lineEnd + 2;
            output.Append(text, start, Math.Min(size, text.Length - start));
            i = start + size + 2;
        }

        return output.ToString();
    }
}
