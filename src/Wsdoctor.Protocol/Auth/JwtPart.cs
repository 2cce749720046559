using System.Buffers.Text;
using System.Text.Unicode;

namespace Wsdoctor.Protocol.Auth;

/// <summary>One base64url part of a compact JWS, decoded for <see cref="JwtInspector"/> and <see cref="Hs256Verifier"/>.</summary>
internal static class JwtPart
{
    /// <summary>False unless the part is base64url of UTF-8 text: RFC 7515 7.1 encodes the header and payload as
    /// UTF-8 JSON (RFC 8259 8.1). Invalid UTF-8 is refused here, because System.Text.Json only notices it when a
    /// string is read, and then throws.</summary>
    public static bool TryDecodeText(ReadOnlySpan<char> part, out byte[] bytes)
    {
        bytes = [];
        if (part.IsEmpty || !Base64Url.IsValid(part, out int length))
        {
            return false;
        }

        bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(part, bytes, out _) && Utf8.IsValid(bytes);
    }
}
