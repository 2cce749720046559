using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Wsdoctor.Protocol.Http;

namespace Wsdoctor.Server.Handshake;

/// <summary>The handshake of a plain WebSocket connection, answered below Kestrel's HTTP layer: a connection whose
/// first read holds a complete, unambiguous RFC 6455 upgrade that needs none of serve's HTTP-level policy (no
/// auth, no subprotocol, no permessage-deflate offer under --compress, an allowed origin, a free slot) gets its 101
/// here and runs on the connection's pipes, so it never holds Kestrel's per-request objects (Http1Connection,
/// HttpContext, header dictionaries: about 8 KiB per idle connection, docs/performance.md). Everything else —
/// and every refusal — is left, unread, to Kestrel and <see cref="UpgradeEndpoint"/>.</summary>
internal static class ConnectionUpgrade
{
    /// <summary>The most of a first read that is looked at for a head.</summary>
    public const int MaxHead = 8 * 1024;

    /// <summary>What an idle connection keeps of its handshake: the parsed head is garbage once this is made.</summary>
    public sealed record Upgrade(string Key, string Host, string Origin, string Path, string UserAgent);

    /// <summary>The upgrade if the buffer starts with one this path may answer; the head's length in bytes.</summary>
    public static Upgrade? Eligible(ReadOnlySequence<byte> buffer, string path, bool compress, out int length)
    {
        length = 0;
        var window = buffer.Length > MaxHead ? buffer.Slice(0, MaxHead) : buffer;
        var bytes = window.IsSingleSegment ? window.FirstSpan : window.ToArray();
        var parser = new RequestHeadParser(MaxHead);
        if (parser.Consume(bytes, out length) != HeadParseStatus.Complete || parser.Head is not { } head)
        {
            return null;
        }

        var target = head.Target;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var targetPath = query < 0 ? target : target[..query];
        var plain = head.Method == "GET"
            && head.HttpVersion == "1.1"
            && string.Equals(targetPath, path, StringComparison.Ordinal)
            && !targetPath.Contains('%', StringComparison.Ordinal)
            && Single(head, "Host") is { Length: > 0 }
            && head.HasToken("Upgrade", "websocket")
            && head.HasToken("Connection", "upgrade")
            && Single(head, "Sec-WebSocket-Version") == "13"
            && Single(head, "Sec-WebSocket-Key") is { } key && IsKey(key)
            && head.GetAll("Origin").Count <= 1
            && head.GetAll("Content-Length").Count == 0
            && head.GetAll("Transfer-Encoding").Count == 0
            && head.GetAll("Expect").Count == 0
            && head.GetAll("Sec-WebSocket-Protocol").Count == 0
            && !(compress && head.GetAll("Sec-WebSocket-Extensions").Count > 0);
        return plain ? new Upgrade(Single(head, "Sec-WebSocket-Key")!, Single(head, "Host")!, head.Get("Origin") ?? "", targetPath, head.Get("User-Agent") ?? "") : null;
    }

    /// <summary>RFC 6455 4.2.2: the 101 response, written and flushed.</summary>
    public static async ValueTask<bool> AcceptAsync(PipeWriter output, string key)
    {
        var accept = Protocol.Frames.HandshakeKeys.ComputeAccept(key);
        output.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        var flushed = await output.FlushAsync().ConfigureAwait(false);
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    private static string? Single(RequestHead head, string name) => head.GetAll(name) is [var one] ? one.Trim() : null;

    private static bool IsKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }
}
