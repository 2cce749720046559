namespace Wsdoctor.Protocol.Auth;

/// <summary>Why an HS256 JWT was accepted or refused. Only <see cref="Valid"/> lets a client in.</summary>
public enum JwtVerdict
{
    Valid,

    /// <summary>Not three base64url parts with JSON objects for header and claims.</summary>
    Malformed,

    /// <summary>The header's alg is not HS256 — including "none", which must never be accepted (RFC 8725 2.1).</summary>
    WrongAlgorithm,

    /// <summary>The HMAC does not match: another secret signed it, or it was altered.</summary>
    BadSignature,

    /// <summary>exp is in the past (beyond the leeway).</summary>
    Expired,

    /// <summary>nbf is in the future (beyond the leeway).</summary>
    NotYetValid,
}
