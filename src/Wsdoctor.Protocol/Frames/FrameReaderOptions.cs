namespace Wsdoctor.Protocol.Frames;

/// <summary>What the reader may accept, which depends on the side of the connection it reads for.</summary>
public sealed class FrameReaderOptions
{
    /// <summary>False (the default): we are the client reading server frames, and RFC 6455 5.1 forbids a
    /// server to mask. True: we are a server reading client frames, which RFC 6455 5.1 requires masked.</summary>
    public bool ExpectMaskedFrames { get; set; }

    /// <summary>Whether permessage-deflate (RFC 7692) was negotiated, which gives RSV1 a meaning: set on the
    /// first frame of a compressed data message.</summary>
    public bool PerMessageDeflate { get; set; }

    /// <summary>Largest data message, in payload bytes as received (compressed size when compressed), that
    /// the reader will buffer. Bigger ones are a <see cref="ViolationKind.MessageTooBig"/>.</summary>
    public long MaxMessageBytes { get; set; } = 16 * 1024 * 1024;
}
