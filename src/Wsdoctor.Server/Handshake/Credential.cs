namespace Wsdoctor.Server.Handshake;

/// <summary>Where a client put its token.</summary>
public enum CredentialSource
{
    BearerHeader,
    Query,
    Cookie,
    Subprotocol,
    FirstMessage,
}

/// <summary>A token a client offered. <see cref="Subprotocol"/> is the offered entry that carried it.</summary>
public sealed record Credential(string Value, CredentialSource Source, string? Subprotocol = null);
