using System.Buffers.Text;
using System.Text.Json;

namespace Wsdoctor.Protocol.Auth;

/// <summary>Reads the header and claims of a JWT so a diagnosis can say "this token expired 3 hours ago".
/// Decoding only: the signature is never verified, decoded or returned.</summary>
public static class JwtInspector
{
    // DateTimeOffset's range in Unix seconds; claims outside it are not dates we can show.
    private const long MinUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>Decodes a compact JWS (RFC 7515 7.1: three base64url parts separated by dots, header and
    /// payload JSON objects). A leading "Bearer " is tolerated. False for anything else, including JWE.</summary>
    public static bool TryDecode(string token, out JwtInfo? info)
    {
        info = null;
        if (token is null)
        {
            return false;
        }

        var text = token.AsSpan().Trim();
        if (text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            text = text["Bearer ".Length..];
        }

        int firstDot = text.IndexOf('.');
        int lastDot = text.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || lastDot == firstDot + 1 || text[(firstDot + 1)..lastDot].Contains('.'))
        {
            return false;
        }

        if (!Base64Url.IsValid(text[(lastDot + 1)..])
            || !JwtPart.TryDecodeText(text[..firstDot], out var header)
            || !JwtPart.TryDecodeText(text[(firstDot + 1)..lastDot], out var payload))
        {
            return false;
        }

        try
        {
            using var headerJson = JsonDocument.Parse(header);
            using var payloadJson = JsonDocument.Parse(payload);
            if (headerJson.RootElement.ValueKind != JsonValueKind.Object || payloadJson.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var claims = payloadJson.RootElement;
            info = new JwtInfo(
                StringMember(headerJson.RootElement, "alg"),
                StringMember(claims, "sub"),
                StringMember(claims, "iss"),
                DateMember(claims, "exp"),
                DateMember(claims, "nbf"),
                DateMember(claims, "iat"));
            return true;
        }
        catch (JsonException)
        {
            // Not JSON: a random dotted string such as a version number or an opaque session id.
            return false;
        }
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>RFC 7519 2 NumericDate: seconds since the epoch, possibly fractional.</summary>
    private static DateTimeOffset? DateMember(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt64(out long seconds))
        {
            return seconds is >= MinUnixSeconds and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }

        return value.TryGetDouble(out double fractional) && fractional is >= MinUnixSeconds and <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(fractional * 1000))
            : null;
    }
}
