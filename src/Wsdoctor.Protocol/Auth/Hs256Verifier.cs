using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Wsdoctor.Protocol.Auth;

/// <summary>Verifies a compact HS256 JWT (RFC 7519 with RFC 7515 JWS) against a shared secret. Pure: the caller
/// passes the time. The algorithm is fixed by the verifier, never taken from the token (RFC 8725 3.1), and the
/// signature is compared in constant time.</summary>
public static class Hs256Verifier
{
    private const int Sha256Length = 32;

    public static JwtVerdict Verify(string token, ReadOnlySpan<byte> secret, DateTimeOffset now, TimeSpan leeway)
    {
        if (string.IsNullOrEmpty(token))
        {
            return JwtVerdict.Malformed;
        }

        var text = token.AsSpan();
        var firstDot = text.IndexOf('.');
        var lastDot = text.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || text[(firstDot + 1)..lastDot].Contains('.'))
        {
            return JwtVerdict.Malformed;
        }

        if (!JwtPart.TryDecodeText(text[..firstDot], out var header) || !JwtPart.TryDecodeText(text[(firstDot + 1)..lastDot], out var claims))
        {
            return JwtVerdict.Malformed;
        }

        try
        {
            using var headerJson = JsonDocument.Parse(header);
            using var claimsJson = JsonDocument.Parse(claims);
            if (headerJson.RootElement.ValueKind != JsonValueKind.Object || claimsJson.RootElement.ValueKind != JsonValueKind.Object)
            {
                return JwtVerdict.Malformed;
            }

            if (!headerJson.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
            {
                return JwtVerdict.WrongAlgorithm;
            }

            if (!SignatureMatches(text[..lastDot], text[(lastDot + 1)..], secret))
            {
                return JwtVerdict.BadSignature;
            }

            // Dates are checked only after the signature: an unsigned claim tells nothing.
            var root = claimsJson.RootElement;
            if (!DateIsNumeric(root, "exp") || !DateIsNumeric(root, "nbf"))
            {
                // A string exp would otherwise be skipped and the token would never expire.
                return JwtVerdict.Malformed;
            }

            if (ReadDate(root, "exp") is { } exp && now - leeway >= exp)
            {
                return JwtVerdict.Expired;
            }

            if (ReadDate(root, "nbf") is { } nbf && now + leeway < nbf)
            {
                return JwtVerdict.NotYetValid;
            }

            return JwtVerdict.Valid;
        }
        catch (JsonException)
        {
            return JwtVerdict.Malformed;
        }
    }

    /// <summary>Signs claims with HS256: for tests and for users who need a token to try the server with.</summary>
    public static string Sign(string claimsJson, ReadOnlySpan<byte> secret)
    {
        var signingInput = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claimsJson));
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(mac);
    }

    private static bool SignatureMatches(ReadOnlySpan<char> signingInput, ReadOnlySpan<char> signature, ReadOnlySpan<byte> secret)
    {
        Span<byte> given = stackalloc byte[Sha256Length];
        if (!Base64Url.IsValid(signature, out var length) || length != Sha256Length
            || !JwtPart.TryDecode(signature, given, out var written) || written != Sha256Length)
        {
            return false;
        }

        var input = new byte[Encoding.ASCII.GetByteCount(signingInput)];
        Encoding.ASCII.GetBytes(signingInput, input);
        Span<byte> expected = stackalloc byte[Sha256Length];
        HMACSHA256.HashData(secret, input, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static bool DateIsNumeric(JsonElement claims, string name) =>
        !claims.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Number;

    private static DateTimeOffset? ReadDate(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds))
        {
            return null;
        }

        seconds = Math.Clamp(seconds, -62_135_596_800, 253_402_300_799);
        return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
    }
}
