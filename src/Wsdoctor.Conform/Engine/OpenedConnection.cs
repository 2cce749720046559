using Wsdoctor.Conform.Deflate;

namespace Wsdoctor.Conform.Engine;

/// <summary>A connection whose opening handshake succeeded, handed to a case: the transport (TCP, or TLS over it),
/// bytes already read past the handshake (the first frames), and what was negotiated. The case owns the transport.</summary>
public sealed record OpenedConnection(Transport Transport, byte[] Leftover, DeflateAgreement? Deflate, string RequestText, string ResponseText);
