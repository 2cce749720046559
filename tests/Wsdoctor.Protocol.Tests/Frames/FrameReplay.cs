using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Protocol.Tests.Frames;

/// <summary>Feeds a <see cref="FrameReader"/> through <see cref="Replay"/> and renders its events so replays
/// can be compared (records holding byte arrays compare by reference).</summary>
internal static class FrameReplay
{
    public static (FrameReader Reader, List<FrameEvent> Events) Read(byte[] input, FrameReaderOptions? options = null) =>
        Replay.Identical(
            input,
            chunks =>
            {
                var reader = new FrameReader(options);
                var events = new List<FrameEvent>();
                foreach (var chunk in chunks)
                {
                    reader.Consume(chunk.Span, events);
                }

                return (reader, events);
            },
            result => $"faulted={result.Item1.IsFaulted} consumed={result.Item1.BytesConsumed}\n{string.Join("\n", result.Item2.Select(Describe))}");

    public static string Describe(FrameEvent frameEvent) => frameEvent switch
    {
        MessageReceived m => $"message @{m.Offset} {m.Opcode} frames={m.FrameCount} compressed={m.Compressed} {Bytes(m.Payload)}",
        PingReceived p => $"ping @{p.Offset} {Convert.ToHexString(p.Payload)}",
        PongReceived p => $"pong @{p.Offset} {Convert.ToHexString(p.Payload)}",
        CloseReceived c => $"close @{c.Offset} {c.Code} [{c.Reason}] {Convert.ToHexString(c.RawPayload)}",
        ProtocolViolation v => $"violation @{v.Offset} {v.Kind} {v.Description} {Convert.ToHexString(v.FrameHeader)}",
        _ => throw new ArgumentOutOfRangeException(nameof(frameEvent), frameEvent, "unknown event"),
    };

    /// <summary>Hex for small payloads; length and content hash for big ones, which would otherwise cost a
    /// 128 KB string per replay.</summary>
    private static string Bytes(byte[] payload)
    {
        if (payload.Length <= 256)
        {
            return Convert.ToHexString(payload);
        }

        var hash = new HashCode();
        hash.AddBytes(payload);
        return $"{payload.Length} bytes, hash {hash.ToHashCode():X8}";
    }

    /// <summary>The single violation the input must end with.</summary>
    public static ProtocolViolation Violation(byte[] input, FrameReaderOptions? options = null)
    {
        var (reader, events) = Read(input, options);
        Assert.True(reader.IsFaulted);
        return Assert.IsType<ProtocolViolation>(events[^1]);
    }
}
