using System.Security.Cryptography;

namespace Wsdoctor.Certificates;

/// <summary>Certificate serial numbers: 16 random bytes, positive and minimally DER-encoded.</summary>
internal static class SerialNumber
{
    // RFC 5280 §4.1.2.2 wants a positive integer of at most 20 octets, and the CA/Browser Forum at least 64
    // random bits. A first byte in 0x01..0x7F keeps the integer positive (high bit clear) and its encoding
    // exactly 16 bytes (no leading zero byte for strict DER parsers to reject).
    public static byte[] NewRandom()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
