using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Probes.Session;

/// <summary>One data message the server sent during the session layer (the payload cut at <see cref="SessionTranscript.MaxBytes"/>).</summary>
internal sealed record SessionMessage(Opcode Opcode, byte[] Payload);

/// <summary>What the session layer saw, kept for the app layer so that recognising Socket.IO's open packet or a STOMP
/// ERROR frame costs no extra round trip: the first few messages, how the connection ended, what we sent.</summary>
internal sealed class SessionTranscript
{
    public const int MaxMessages = 8;
    public const int MaxBytes = 8192;
    private readonly List<SessionMessage> messages = [];

    public IReadOnlyList<SessionMessage> Messages => messages;

    /// <summary>The server's Close frame, when it sent one: its code (null for an empty payload) and reason.</summary>
    public (int? Code, string Reason)? Close { get; set; }

    /// <summary>TCP ended without a Close frame.</summary>
    public bool Dropped { get; set; }

    /// <summary>The --send message, once it was sent.</summary>
    public string? Sent { get; set; }

    /// <summary>The connection ended (close or drop) after --send went out.</summary>
    public bool EndedAfterSend { get; set; }

    public bool Ended => Close is not null || Dropped;

    public void Add(Opcode opcode, byte[] payload)
    {
        if (messages.Count < MaxMessages)
        {
            messages.Add(new SessionMessage(opcode, payload.Length <= MaxBytes ? payload : payload[..MaxBytes]));
        }
    }
}
