namespace Wsdoctor.Protocol.Frames;

/// <summary>Something the <see cref="FrameReader"/> saw. <paramref name="Offset"/> is the stream position of
/// the first byte of the frame that produced the event, counting every byte ever consumed.</summary>
public abstract record FrameEvent(long Offset);

/// <summary>A complete Text or Binary message, fragments reassembled and unmasked. When
/// <paramref name="Compressed"/>, <paramref name="Payload"/> is the permessage-deflate data as received
/// (RFC 7692 7.2.2: append 00 00 FF FF before inflating).</summary>
public sealed record MessageReceived(long Offset, Opcode Opcode, byte[] Payload, int FrameCount, bool Compressed) : FrameEvent(Offset);

public sealed record PingReceived(long Offset, byte[] Payload) : FrameEvent(Offset);

public sealed record PongReceived(long Offset, byte[] Payload) : FrameEvent(Offset);

/// <summary>A Close frame. <paramref name="Code"/> is null when the payload is empty (RFC 6455 7.1.5: the
/// status is then reported as 1005 by APIs, but nothing was sent).</summary>
public sealed record CloseReceived(long Offset, int? Code, string Reason, byte[] RawPayload) : FrameEvent(Offset);

/// <summary>The peer broke a rule of RFC 6455 (or RFC 7692). <paramref name="Description"/> names the frame
/// and the rule; <paramref name="FrameHeader"/> holds the frame's header bytes as received.</summary>
public sealed record ProtocolViolation(long Offset, ViolationKind Kind, string Description, byte[] FrameHeader) : FrameEvent(Offset);
