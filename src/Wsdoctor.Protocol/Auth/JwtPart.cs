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
        return TryDecode(part, bytes, out var written) && written == length && Utf8.IsValid(bytes);
    }

    /// <summary>Base64url into <paramref name="destination"/>, false on any malformed input. IsValid accepts some
    /// padded parts (<c>ww=</c>: one '=' where two are due) that TryDecodeFromChars then rejects by throwing
    /// FormatException instead of returning false; a token is the user's input, so that is an answer, not a crash.</summary>
    public static bool TryDecode(ReadOnlySpan<char> part, Span<byte> destination, out int written)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(part, destination, out written);
        }
        catch (FormatException)
        {
            written = 0;
            return false;
        }
    }
}
