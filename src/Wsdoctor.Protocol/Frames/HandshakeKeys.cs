using System.Security.Cryptography;
using System.Text;

namespace Wsdoctor.Protocol.Frames;

/// <summary>The Sec-WebSocket-Key / Sec-WebSocket-Accept pair of RFC 6455 4.1 and 4.2.2.</summary>
public static class HandshakeKeys
{
    // RFC 6455 1.3: the GUID every server appends; a wrong Accept usually means a proxy or server bug here.
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>RFC 6455 4.1: a randomly selected 16-byte value, base64-encoded, new for each connection.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>RFC 6455 4.2.2: base64(SHA-1(key + GUID)), the key taken exactly as sent.</summary>
    public static string ComputeAccept(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
    }
}
