namespace Wsdoctor.Protocol.Auth;

/// <summary>The claims of a JWT that explain most authentication failures: who issued it, for whom, and
/// when it is valid (RFC 7519 4.1). Never the signature.</summary>
public sealed record JwtInfo(string? Algorithm, string? Subject, string? Issuer, DateTimeOffset? ExpiresAt, DateTimeOffset? NotBefore, DateTimeOffset? IssuedAt);
