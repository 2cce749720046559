namespace Wsdoctor.Protocol.Frames;

/// <summary>Every way a peer can break framing rules that the <see cref="FrameReader"/> detects.</summary>
public enum ViolationKind
{
    /// <summary>RFC 6455 5.1: a server MUST NOT mask frames.</summary>
    MaskedFrameFromServer,

    /// <summary>RFC 6455 5.1: a client MUST mask every frame.</summary>
    UnmaskedFrameFromClient,

    /// <summary>RFC 6455 5.2: RSV1-3 MUST be 0 unless a negotiated extension defines them.</summary>
    ReservedBitsSet,

    /// <summary>RFC 6455 5.2: opcodes 3-7 and 0xB-0xF are reserved.</summary>
    ReservedOpcode,

    /// <summary>RFC 6455 5.5: control frames MUST NOT be fragmented.</summary>
    FragmentedControlFrame,

    /// <summary>RFC 6455 5.5: control frame payloads are at most 125 bytes.</summary>
    ControlFrameTooLong,

    /// <summary>RFC 6455 5.2: the minimal number of bytes MUST be used to encode the length.</summary>
    NonMinimalLength,

    /// <summary>RFC 6455 5.2: the most significant bit of a 64-bit length MUST be 0.</summary>
    LengthMsbSet,

    /// <summary>RFC 6455 5.4: a continuation frame without a message in progress.</summary>
    UnexpectedContinuation,

    /// <summary>RFC 6455 5.4: a new data message started before the previous one ended.</summary>
    MessageInterleaved,

    /// <summary>RFC 6455 8.1: a text message that is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>RFC 6455 5.5.1: a Close payload of exactly one byte.</summary>
    InvalidClosePayload,

    /// <summary>RFC 6455 7.4: a close code that may not appear on the wire.</summary>
    InvalidCloseCode,

    /// <summary>RFC 6455 5.5.1: a close reason that is not valid UTF-8.</summary>
    InvalidCloseReasonUtf8,

    /// <summary>A data message larger than <see cref="FrameReaderOptions.MaxMessageBytes"/>.</summary>
    MessageTooBig,

    /// <summary>RFC 6455 5.5.1: a data frame after the peer's Close frame.</summary>
    DataAfterClose,
}
