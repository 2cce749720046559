using System.Net.Sockets;
using Wsdoctor.Conform.Deflate;

namespace Wsdoctor.Conform.Engine;

/// <summary>A connection whose opening handshake succeeded, handed to a case: the socket, bytes already read past
/// the handshake (the first frames), and what was negotiated.</summary>
public sealed record OpenedConnection(Socket Socket, byte[] Leftover, DeflateAgreement? Deflate, string RequestText, string ResponseText);
