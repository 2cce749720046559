namespace Wsdoctor.Server.Handshake;

/// <summary>Picks the Sec-WebSocket-Protocol of the response (RFC 6455 4.2.2: one of those the client offered).</summary>
public static class SubprotocolSelector
{
    public static string? Select(IReadOnlyList<string> configured, IReadOnlyList<string> offered, Credential? credential)
    {
        foreach (var name in configured)
        {
            if (offered.Contains(name, StringComparer.Ordinal))
            {
                return name;
            }
        }

        if (credential?.Source != CredentialSource.Subprotocol)
        {
            return null;
        }

        // Chromium fails a handshake that offered subprotocols and got none back, so a token carried as a
        // subprotocol must be answered with one: the "bearer" marker if offered, else the entry itself.
        return offered.FirstOrDefault(o => o.Equals(CredentialFinder.BearerMarker, StringComparison.OrdinalIgnoreCase))
            ?? credential.Subprotocol;
    }
}
