using System.Net.WebSockets;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Client.Session;

/// <summary>Something that happened on the connection, in the order it happened per direction.</summary>
public abstract record SessionEvent(DateTimeOffset At);

/// <summary>A whole data message (fragments already joined; decompressed when permessage-deflate is on).</summary>
public sealed record MessageEvent(DateTimeOffset At, TapDirection Direction, WebSocketMessageType Type, byte[] Data) : SessionEvent(At);

/// <summary>A ping or pong. <paramref name="RttMs"/> is set on a pong that answers one of our pings.</summary>
public sealed record ControlEvent(DateTimeOffset At, TapDirection Direction, Opcode Opcode, byte[] Payload, double? RttMs) : SessionEvent(At);

/// <summary>A Close frame seen on the wire; <paramref name="Code"/> is null for an empty close payload.</summary>
public sealed record CloseEvent(DateTimeOffset At, TapDirection Direction, int? Code, string Reason) : SessionEvent(At);

/// <summary>A remark about the connection itself: a missing pong, a protocol violation by the server.</summary>
public sealed record NoteEvent(DateTimeOffset At, string Text, bool IsProblem) : SessionEvent(At)
{
    /// <summary>The note in every output language (<see cref="Text"/> is its English, for machine outputs).</summary>
    public Findings.Text? Translated { get; init; }
}

/// <summary>A data message read by connect --protocol's driver: <paramref name="Text"/> is how the protocol reads it
/// (<c>event chat, "hi"</c>); <paramref name="Housekeeping"/> marks the protocol's pings and keep-alives (shown with -P).</summary>
public sealed record AppMessageEvent(DateTimeOffset At, TapDirection Direction, string Protocol, string Text, bool Housekeeping, MessageEvent Raw) : SessionEvent(At);
