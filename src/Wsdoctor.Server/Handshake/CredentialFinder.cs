using Microsoft.AspNetCore.Http;

namespace Wsdoctor.Server.Handshake;

/// <summary>Collects every place a client may have put its token. Browsers cannot set headers on a WebSocket,
/// so they use the query, a cookie or a subprotocol entry; other clients use Authorization: Bearer.</summary>
public static class CredentialFinder
{
    public const string BearerMarker = "bearer";

    public static IReadOnlyList<Credential> Find(HttpRequest request, IReadOnlyList<string> offeredSubprotocols)
    {
        var found = new List<Credential>();
        foreach (var authorization in request.Headers.Authorization)
        {
            if (authorization is { Length: > 7 } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(new Credential(a[7..].Trim(), CredentialSource.BearerHeader));
            }
        }

        foreach (var value in request.Query["token"])
        {
            if (!string.IsNullOrEmpty(value))
            {
                found.Add(new Credential(value, CredentialSource.Query));
            }
        }

        if (request.Cookies.TryGetValue("token", out var cookie) && !string.IsNullOrEmpty(cookie))
        {
            found.Add(new Credential(cookie, CredentialSource.Cookie));
        }

        foreach (var offered in offeredSubprotocols)
        {
            if (offered.StartsWith(BearerMarker + ".", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(new Credential(offered[(BearerMarker.Length + 1)..], CredentialSource.Subprotocol, offered));
            }
            else if (!offered.Equals(BearerMarker, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(new Credential(offered, CredentialSource.Subprotocol, offered));
            }
        }

        return found;
    }
}
