using System.Text;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Lab.Servers;

/// <summary>An echo server that is correct in everything <c>wsdoctor conform server</c> checks except two
/// deliberate bugs, so the suite must fail exactly the cases they touch: it answers every Ping with an empty Pong
/// (RFC 6455 5.5.3 wants the Ping's payload back: cases 2.2-2.4, 2.6, 2.9-2.11, 5.6-5.8, 5.19, 5.20), and it
/// answers a Close carrying a code that may not be sent with a normal 1000 instead of failing the connection with
/// 1002 (RFC 6455 7.4: cases 7.9.1-7.9.9). Its handshake checks are strict, and it never negotiates extensions.</summary>
public static class SloppyEchoServer
{
    public static RawServer Start() => RawServer.Start(HandleAsync);

    private static async Task HandleAsync(Stream stream, CancellationToken ct)
    {
        var (request, leftover) = await ReadRequestAsync(stream, ct).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        await RawHttp.WriteAsync(stream, Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {HandshakeKeys.ComputeAccept(request.Get("Sec-WebSocket-Key")!)}\r\n\r\n"), ct).ConfigureAwait(false);
        await EchoAsync(stream, leftover, ct).ConfigureAwait(false);
    }

    /// <summary>The request head, or null after answering it with an error: RFC 6455 4.2.1 checked to the letter.</summary>
    private static async Task<(RequestHead? Head, byte[] Leftover)> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var parser = new RequestHeadParser(16 * 1024);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return (null, []);
            }

            var status = parser.Consume(buffer.AsSpan(0, n), out int consumed);
            if (status == HeadParseStatus.TooLarge)
            {
                await Refuse(stream, "431 Request Header Fields Too Large", ct).ConfigureAwait(false);
                return (null, []);
            }

            if (status == HeadParseStatus.Invalid)
            {
                await Refuse(stream, "400 Bad Request", ct).ConfigureAwait(false);
                return (null, []);
            }

            if (status == HeadParseStatus.Complete)
            {
                var head = parser.Head!;
                if (Problem(head) is { } problem)
                {
                    await Refuse(stream, problem, ct).ConfigureAwait(false);
                    return (null, []);
                }

                return (head, buffer.AsSpan(consumed, n - consumed).ToArray());
            }
        }
    }

    private static string? Problem(RequestHead head)
    {
        var versions = head.GetAll("Sec-WebSocket-Version");
        var keys = head.GetAll("Sec-WebSocket-Key");
        if (head.Method != "GET" || head.HttpVersion != "1.1" || head.GetAll("Host").Count != 1
            || !head.HasToken("Upgrade", "websocket") || !head.HasToken("Connection", "upgrade")
            || head.Get("Content-Length") is { } length && length != "0" || head.Get("Transfer-Encoding") is not null)
        {
            return "400 Bad Request";
        }

        if (versions.Count != 1 || versions[0].Trim() != "13")
        {
            return "426 Upgrade Required\r\nSec-WebSocket-Version: 13";
        }

        return keys.Count == 1 && IsKey(keys[0]) ? null : "400 Bad Request";
    }

    private static bool IsKey(string key)
    {
        var bytes = new byte[24];
        return Convert.TryFromBase64String(key.Trim(), bytes, out int written) && written == 16;
    }

    private static Task Refuse(Stream stream, string status, CancellationToken ct) =>
        RawHttp.WriteAsync(stream, Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), ct);

    private static async Task EchoAsync(Stream stream, byte[] leftover, CancellationToken ct)
    {
        var reader = new FrameReader(new FrameReaderOptions { ExpectMaskedFrames = true, MaxMessageBytes = 32 * 1024 * 1024 });
        var events = new List<FrameEvent>();
        var buffer = new byte[64 * 1024];
        reader.Consume(leftover, events);
        // Bounded: every pass reads from the client; it ends at its close, a violation, or EOF.
        while (true)
        {
            foreach (var e in events)
            {
                switch (e)
                {
                    case MessageReceived message:
                        await RawHttp.WriteAsync(stream, FrameWriter.Build(message.Opcode, message.Payload, mask: false), ct).ConfigureAwait(false);
                        break;
                    case PingReceived:
                        // Bug 1: the payload is not sent back.
                        await RawHttp.WriteAsync(stream, FrameWriter.Build(Opcode.Pong, [], mask: false), ct).ConfigureAwait(false);
                        break;
                    case CloseReceived close:
                        await RawHttp.WriteAsync(stream, close.Code is null ? FrameWriter.BuildClose(null, "", mask: false) : FrameWriter.BuildClose(close.Code.Value, "", mask: false), ct).ConfigureAwait(false);
                        return;
                    case ProtocolViolation { Kind: ViolationKind.InvalidCloseCode }:
                        // Bug 2: a forbidden close code is treated as a normal close.
                        await RawHttp.WriteAsync(stream, FrameWriter.BuildClose(1000, "", mask: false), ct).ConfigureAwait(false);
                        return;
                    case ProtocolViolation violation:
                        await RawHttp.WriteAsync(stream, FrameWriter.BuildClose(violation.Kind == ViolationKind.InvalidUtf8 ? 1007 : 1002, "", mask: false), ct).ConfigureAwait(false);
                        return;
                }
            }

            events.Clear();
            int n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            reader.Consume(buffer.AsSpan(0, n), events);
        }
    }
}
