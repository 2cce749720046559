using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Protocol;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Conform.Cases;

/// <summary>What a handshake case concluded.</summary>
public sealed record HandshakeVerdict(string Behavior, string Result);

/// <summary>What came back for a hand-made upgrade request: a response head, or the connection closed without one,
/// or nothing within the timeout.</summary>
public sealed class HandshakeReply
{
    public ResponseHead? Head { get; init; }

    public bool Closed { get; init; }

    public bool TimedOut { get; init; }

    public string? ParseError { get; init; }

    internal Socket? Socket { get; init; }

    internal byte[] Leftover { get; init; } = [];

    public int Status => Head?.StatusCode ?? 0;

    public bool Upgraded => Status == 101;

    public bool Refused => Status is >= 400 and < 600;

    public string Summary => Head is { } head
        ? $"HTTP {head.StatusCode} {head.Reason}".TrimEnd()
        : TimedOut ? "no response within the timeout" : ParseError is { } e ? $"unparsable response: {e}" : "the connection was closed without a response";
}

/// <summary>The fuzzer's side of a handshake case: opens its own TCP connection, writes a request built by hand
/// (so it can be wrong in exactly one way), reads the response head, and after a 101 can check that the connection
/// really works as a WebSocket.</summary>
public sealed class HandshakeProbe : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly string host;
    private readonly int port;
    private readonly List<Socket> sockets = [];

    internal HandshakeProbe(string host, int port, string hostHeader, string path, CancellationToken ct)
    {
        this.host = host;
        this.port = port;
        HostHeader = hostHeader;
        Path = path;
        Token = ct;
    }

    public string HostHeader { get; }

    public string Path { get; }

    public CancellationToken Token { get; }

    public WireLog Log { get; } = new();

    public string? LastRequest { get; private set; }

    public string? LastResponse { get; private set; }

    /// <summary>A correct RFC 6455 4.1 request head, one field per line, with lines replaced or added.</summary>
    public string Request(string key, params string[] extraLines) => Request("GET", "1.1", key, true, extraLines);

    public string Request(string method, string version, string? key, bool withHost, params string[] extraLines)
    {
        var text = new StringBuilder($"{method} {Path} HTTP/{version}\r\n");
        if (withHost)
        {
            text.Append("Host: ").Append(HostHeader).Append("\r\n");
        }

        text.Append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
        if (key is not null)
        {
            text.Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n");
        }

        if (!extraLines.Any(l => l.StartsWith("Sec-WebSocket-Version:", StringComparison.OrdinalIgnoreCase) || l == "-version"))
        {
            text.Append("Sec-WebSocket-Version: 13\r\n");
        }

        foreach (var line in extraLines.Where(l => l != "-version"))
        {
            text.Append(line).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }

    /// <summary>Connects, writes the request (and body), reads the response head. A write cut short by the peer is
    /// not an error: the peer may refuse before reading everything.</summary>
    public async Task<HandshakeReply> ExchangeAsync(string head, byte[]? body = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        sockets.Add(socket);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Token);
        limit.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !Token.IsCancellationRequested)
        {
            Log.Add("--", $"connect to {host}:{port} failed: {e.Message}");
            return new HandshakeReply { Closed = true, ParseError = $"connect failed: {e.Message}" };
        }

        LastRequest = head.Length > 2048 ? head[..2048] + $"… ({head.Length} bytes in all)" : head;
        Log.Add("tx", head.Length > 600 ? $"request head of {head.Length} bytes: {head[..300]}…" : $"request head:\n{head.TrimEnd()}");
        var bytes = Encoding.Latin1.GetBytes(head);
        var payload = body is null ? bytes : [.. bytes, .. body];
        if (body is not null)
        {
            Log.Add("tx", $"request body of {body.Length} bytes: {ByteEvidence.Quote(body)}");
        }

        var sending = SendAllAsync(socket, payload, limit.Token);
        var reply = await ReadHeadAsync(socket, limit.Token).ConfigureAwait(false);
        await Task.WhenAny(sending, Task.Delay(100, CancellationToken.None)).ConfigureAwait(false);
        LastResponse = reply.Head?.RawText;
        Log.Add("rx", reply.Head is { } h ? $"response head:\n{h.RawText.TrimEnd()}" : reply.Summary);
        return reply;
    }

    private async Task SendAllAsync(Socket socket, byte[] payload, CancellationToken ct)
    {
        try
        {
            for (int offset = 0; offset < payload.Length; offset += 64 * 1024)
            {
                await socket.SendAsync(payload.AsMemory(offset, Math.Min(64 * 1024, payload.Length - offset)), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Log.Add("--", $"the peer stopped reading the request: {e.Message}");
        }
    }

    private static async Task<HandshakeReply> ReadHeadAsync(Socket socket, CancellationToken ct)
    {
        var parser = new ResponseHeadParser();
        var buffer = new byte[16 * 1024];
        try
        {
            // Bounded by the timeout token and by the parser's head size limit.
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return new HandshakeReply { Closed = true };
                }

                var status = parser.Consume(buffer.AsSpan(0, read), out int consumed);
                if (status == HeadParseStatus.Complete)
                {
                    return new HandshakeReply { Head = parser.Head, Socket = socket, Leftover = buffer.AsSpan(consumed, read - consumed).ToArray() };
                }

                if (status is HeadParseStatus.Invalid or HeadParseStatus.TooLarge)
                {
                    return new HandshakeReply { ParseError = parser.Error };
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new HandshakeReply { TimedOut = true };
        }
        catch (SocketException)
        {
            return new HandshakeReply { Closed = true };
        }
    }

    /// <summary>Whether a 101 is a valid RFC 6455 4.2.2 answer for <paramref name="key"/>; null when it is.</summary>
    public static string? AcceptProblem(HandshakeReply reply, string key)
    {
        var head = reply.Head!;
        if (!head.HasToken("Upgrade", "websocket"))
        {
            return "the 101 lacks 'Upgrade: websocket' (RFC 6455 4.2.2)";
        }

        if (!head.HasToken("Connection", "upgrade"))
        {
            return "the 101 lacks 'Connection: Upgrade' (RFC 6455 4.2.2)";
        }

        var accept = head.Get("Sec-WebSocket-Accept");
        return accept == HandshakeKeys.ComputeAccept(key) ? null : $"Sec-WebSocket-Accept is '{accept}', not '{HandshakeKeys.ComputeAccept(key)}' (RFC 6455 4.2.2 item 5.4)";
    }

    /// <summary>After a 101: a masked text message must come back, then a clean close. Null when it does.</summary>
    public async Task<string?> EchoProblemAsync(HandshakeReply reply)
    {
        var socket = reply.Socket!;
        // A server that accepted permessage-deflate (0.8.2) may compress its echo (RFC 7692 6).
        var deflate = reply.Head!.GetAll("Sec-WebSocket-Extensions").Any(v => v.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase));
        var reader = new FrameReader(new FrameReaderOptions { PerMessageDeflate = deflate });
        using var inflater = deflate ? Deflate.RawDeflate.Decompressor(noContextTakeover: false) : null;
        var events = new List<FrameEvent>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Token);
        limit.CancelAfter(Timeout);
        var message = "wsdoctor handshake case"u8.ToArray();
        try
        {
            Log.Add("tx", "TEXT \"wsdoctor handshake case\"");
            await socket.SendAsync(FrameWriter.Build(Opcode.Text, message, mask: true), SocketFlags.None, limit.Token).ConfigureAwait(false);
            reader.Consume(reply.Leftover, events);
            var buffer = new byte[16 * 1024];
            var clock = Stopwatch.StartNew();
            bool echoed = false;
            while (clock.Elapsed < Timeout)
            {
                foreach (var e in events)
                {
                    switch (e)
                    {
                        case MessageReceived m when !echoed:
                            var payload = m.Compressed ? inflater?.DecompressMessage(m.Payload, 1 << 20) ?? [] : m.Payload;
                            Log.Add("rx", $"{m.Opcode}{(m.Compressed ? " (compressed)" : "")} {Observation.Preview(payload, true)}");
                            if (!payload.AsSpan().SequenceEqual(message))
                            {
                                return $"the echo differs: {Observation.Preview(payload, true)}";
                            }

                            echoed = true;
                            Log.Add("tx", "CLOSE code 1000");
                            await socket.SendAsync(FrameWriter.BuildClose(1000, "", mask: true), SocketFlags.None, limit.Token).ConfigureAwait(false);
                            break;
                        case CloseReceived c:
                            Log.Add("rx", $"CLOSE {c.Code}");
                            return echoed ? null : $"the server closed ({c.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}{(c.Reason.Length > 0 ? $" {c.Reason}" : "")}) instead of echoing";
                        case ProtocolViolation v:
                            return $"the server broke the framing rules: {v.Description}";
                    }
                }

                events.Clear();
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return echoed ? null : "the server closed the connection instead of echoing";
                }

                reader.Consume(buffer.AsSpan(0, read), events);
            }

            return "no echo within the timeout";
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !Token.IsCancellationRequested)
        {
            return $"the connection failed: {e.Message}";
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
