using System.Text;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Lab.Servers;

/// <summary>Just enough HTTP/1.1 for scripted servers: read the request head, write a response.</summary>
public static class RawHttp
{
    public static async Task<RequestHead?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var parser = new RequestHeadParser();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            // Scripts only read the head; bytes after it (none from a well-behaved client before the 101) are ignored.
            switch (parser.Consume(buffer.AsSpan(0, n), out _))
            {
                case HeadParseStatus.Complete:
                    return parser.Head;
                case HeadParseStatus.Invalid or HeadParseStatus.TooLarge:
                    return null;
            }
        }
    }

    public static Task WriteAsync(Stream stream, string text, CancellationToken ct) =>
        WriteAsync(stream, Encoding.UTF8.GetBytes(text), ct);

    public static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken ct)
    {
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A complete response with Content-Length and a Date header.</summary>
    public static string Response(int status, string reason, string body, params string[] headers)
    {
        var sb = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        if (!headers.Any(h => h.StartsWith("Date:", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n");
        }

        foreach (var header in headers)
        {
            sb.Append(header).Append("\r\n");
        }

        sb.Append($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n").Append(body);
        return sb.ToString();
    }

    /// <summary>A correct 101 for <paramref name="request"/>, with extra header lines (or, with <paramref name="replaceDefaults"/>, only those).</summary>
    public static string SwitchingProtocols(RequestHead request, bool replaceDefaults = false, params string[] headers)
    {
        var sb = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        if (!replaceDefaults)
        {
            sb.Append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
            sb.Append($"Sec-WebSocket-Accept: {HandshakeKeys.ComputeAccept(request.Get("Sec-WebSocket-Key") ?? "")}\r\n");
        }

        foreach (var header in headers)
        {
            sb.Append(header).Append("\r\n");
        }

        return sb.Append("\r\n").ToString();
    }

    public static string Accept(RequestHead request) => HandshakeKeys.ComputeAccept(request.Get("Sec-WebSocket-Key") ?? "");
}
