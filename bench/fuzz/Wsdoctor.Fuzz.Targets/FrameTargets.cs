using System.Text;
using System.Text.Unicode;
using Wsdoctor.Conform.Deflate;
using Wsdoctor.Protocol;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>The frame reader, reading for either side, with or without permessage-deflate; with deflate, every
/// compressed message is then inflated the way conform does, under its limit. The first input byte picks the
/// options, the rest is the stream.</summary>
public static class FrameTargets
{
    /// <summary>The inflate limit, and so the most one message may cost: a compression bomb stops here.</summary>
    public const int InflateLimit = 256 * 1024;

    private static readonly long[] MessageLimits = [64, 1024, 65536, 16 * 1024 * 1024];

    public static void Plain(byte[] input) => Read(input, deflate: false);

    public static void Deflate(byte[] input) => Read(input, deflate: true);

    private static void Read(byte[] input, bool deflate)
    {
        string target = deflate ? "frames-deflate" : "frames";
        // An empty input still goes through the reader: SharpFuzz reads afl-fuzz's first input as soon as it starts,
        // which can be before afl-fuzz wrote it, and a run that reaches no instrumented code makes afl-fuzz abort
        // with "No instrumentation detected".
        byte flags = input.Length > 0 ? input[0] : (byte)0;
        var options = new FrameReaderOptions
        {
            ExpectMaskedFrames = (flags & 1) != 0,
            PerMessageDeflate = deflate,
            MaxMessageBytes = MessageLimits[(flags >> 1) & 3],
        };
        var stream = input.Length > 0 ? input.AsMemory(1) : ReadOnlyMemory<byte>.Empty;
        // The plans' events are compared field by field; their text (which costs the harness several times what the
        // reader allocates) is built only to report a difference, so the allocation bound measures the reader.
        var plans = new List<FrameEvent>[Chunking.Plans];
        var consumed = new long[Chunking.Plans];
        List<FrameEvent> events = [];
        for (int plan = 0; plan < Chunking.Plans; plan++)
        {
            var reader = new FrameReader(options);
            events = [];
            int offset = 0;
            foreach (int size in Chunking.Sizes(plan, stream.Length, input.Length))
            {
                reader.Consume(stream.Span.Slice(offset, size), events);
                offset += size;
            }

            CheckEvents(reader, events, options, stream.Length, target);
            plans[plan] = events;
            consumed[plan] = reader.BytesConsumed;
        }

        for (int plan = 1; plan < Chunking.Plans; plan++)
        {
            if (consumed[plan] != consumed[0] || !SameEvents(plans[0], plans[plan]))
            {
                HttpHeadTargets.RequireSameForEveryChunking([.. plans.Select((e, i) => Describe(e, consumed[i]))], target);
            }
        }
        if (deflate)
        {
            Inflate(events, noContextTakeover: (flags & 8) != 0, target);
        }
    }

    private static void CheckEvents(FrameReader reader, List<FrameEvent> events, FrameReaderOptions options, int length, string target)
    {
        Invariants.Require(reader.BytesConsumed <= length, target, $"consumed {reader.BytesConsumed} of {length} bytes");
        long previous = -1;
        for (int i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Invariants.Require(e.Offset > previous && e.Offset < length, target, $"event {i} at offset {e.Offset} after {previous}");
            previous = e.Offset;
            switch (e)
            {
                case MessageReceived m:
                    Invariants.Require(m.Payload.Length <= options.MaxMessageBytes, target, $"a {m.Payload.Length}-byte message over the {options.MaxMessageBytes}-byte limit");
                    Invariants.Require(m.FrameCount >= 1 && (!m.Compressed || options.PerMessageDeflate), target, "a message of no frame, or compressed without deflate");
                    Invariants.Require(m.Opcode != Opcode.Text || m.Compressed || Utf8.IsValid(m.Payload), target, "a text message that is not UTF-8");
                    break;
                case PingReceived p:
                    Invariants.Require(p.Payload.Length <= 125, target, "a ping over 125 bytes");
                    break;
                case PongReceived p:
                    Invariants.Require(p.Payload.Length <= 125, target, "a pong over 125 bytes");
                    break;
                case CloseReceived c:
                    Invariants.Require(c.RawPayload.Length <= 125 && (c.Code is null) == (c.RawPayload.Length == 0), target, "a close payload over 125 bytes, or a code without payload");
                    break;
                case ProtocolViolation v:
                    Invariants.Require(i == events.Count - 1 && reader.IsFaulted, target, "events after a protocol violation, or a violation that did not fault the reader");
                    Invariants.Require(!v.Description.Contains('\n', StringComparison.Ordinal), target, "a violation description of more than one line");
                    break;
            }
        }
    }

    private static void Inflate(List<FrameEvent> events, bool noContextTakeover, string target)
    {
        using var inflater = RawDeflate.Decompressor(noContextTakeover);
        foreach (var message in events.OfType<MessageReceived>().Where(m => m.Compressed))
        {
            var inflated = inflater.DecompressMessage(message.Payload, InflateLimit);
            Invariants.Require(inflated is null || inflated.Length <= InflateLimit, target, $"inflated to {inflated?.Length} bytes, over the {InflateLimit}-byte limit");
        }
    }

    private static bool SameEvents(List<FrameEvent> a, List<FrameEvent> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            bool same = (a[i], b[i]) switch
            {
                (MessageReceived x, MessageReceived y) => x.Offset == y.Offset && x.Opcode == y.Opcode && x.FrameCount == y.FrameCount && x.Compressed == y.Compressed && x.Payload.AsSpan().SequenceEqual(y.Payload),
                (PingReceived x, PingReceived y) => x.Offset == y.Offset && x.Payload.AsSpan().SequenceEqual(y.Payload),
                (PongReceived x, PongReceived y) => x.Offset == y.Offset && x.Payload.AsSpan().SequenceEqual(y.Payload),
                (CloseReceived x, CloseReceived y) => x.Offset == y.Offset && x.Code == y.Code && x.Reason == y.Reason && x.RawPayload.AsSpan().SequenceEqual(y.RawPayload),
                (ProtocolViolation x, ProtocolViolation y) => x.Offset == y.Offset && x.Kind == y.Kind && x.Description == y.Description,
                var (x, y) => Equals(x, y),
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(List<FrameEvent> events, long consumed)
    {
        var text = new StringBuilder().Append(consumed);
        foreach (var e in events)
        {
            text.Append('\n').Append(e switch
            {
                MessageReceived m => $"message {m.Offset} {m.Opcode} {m.FrameCount} {m.Compressed} {ByteEvidence.Hex(m.Payload)}",
                PingReceived p => $"ping {p.Offset} {ByteEvidence.Hex(p.Payload)}",
                PongReceived p => $"pong {p.Offset} {ByteEvidence.Hex(p.Payload)}",
                CloseReceived c => $"close {c.Offset} {c.Code} {c.Reason} {ByteEvidence.Hex(c.RawPayload)}",
                ProtocolViolation v => $"violation {v.Offset} {v.Kind} {v.Description}",
                _ => e.ToString(),
            });
        }

        return text.ToString();
    }
}
