using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wsdoctor.Protocol.Auth;

namespace Wsdoctor.Server.Handshake;

/// <summary>Checks a credential against --token (constant-time) or --jwt-secret (HS256). Results name the
/// reason, never the secret or the token.</summary>
public sealed class TokenAuthenticator(string? token, string? jwtSecret, TimeSpan leeway, TimeProvider time)
{
    private readonly byte[]? tokenBytes = token is null ? null : Encoding.UTF8.GetBytes(token);
    private readonly byte[]? jwtKey = jwtSecret is null ? null : Encoding.UTF8.GetBytes(jwtSecret);

    /// <summary>Null when one of the credentials is valid; otherwise the reason the last one failed.</summary>
    public string? Authenticate(IReadOnlyList<Credential> credentials, out Credential? accepted)
    {
        accepted = null;
        if (credentials.Count == 0)
        {
            return "no token (send Authorization: Bearer, ?token=, cookie token= or a subprotocol)";
        }

        string reason = "invalid token";
        foreach (var credential in credentials)
        {
            var failure = Check(credential.Value);
            if (failure is null)
            {
                accepted = credential;
                return null;
            }

            reason = $"{failure} (from {Describe(credential.Source)})";
        }

        return reason;
    }

    /// <summary>The first message of --auth-first-message: the raw token or JSON {"token": "..."}.</summary>
    public static Credential FromFirstMessage(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(trimmed);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("token", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return new Credential(value.GetString()!, CredentialSource.FirstMessage);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: treat the whole message as the token.
            }
        }

        return new Credential(trimmed, CredentialSource.FirstMessage);
    }

    private string? Check(string value)
    {
        if (tokenBytes is not null)
        {
            var given = Encoding.UTF8.GetBytes(value);
            if (CryptographicOperations.FixedTimeEquals(given, tokenBytes))
            {
                return null;
            }

            if (jwtKey is null)
            {
                return "token does not match";
            }
        }

        if (jwtKey is not null)
        {
            return Hs256Verifier.Verify(value, jwtKey, time.GetUtcNow(), leeway) switch
            {
                JwtVerdict.Valid => null,
                JwtVerdict.Expired => "jwt expired",
                JwtVerdict.NotYetValid => "jwt not yet valid (nbf)",
                JwtVerdict.BadSignature => "jwt signature does not match --jwt-secret",
                JwtVerdict.WrongAlgorithm => "jwt alg is not HS256",
                _ => "not a jwt",
            };
        }

        return "token does not match";
    }

    private static string Describe(CredentialSource source) => source switch
    {
        CredentialSource.BearerHeader => "Authorization header",
        CredentialSource.Query => "query",
        CredentialSource.Cookie => "cookie",
        CredentialSource.Subprotocol => "subprotocol",
        _ => "first message",
    };
}
