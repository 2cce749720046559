namespace Wsdoctor.Certificates;

/// <summary>The key a generated certificate carries.</summary>
public enum KeyKind
{
    /// <summary>ECDSA on NIST P-256: small, fast, accepted by every current TLS stack and browser.</summary>
    EcdsaP256,

    /// <summary>RSA 2048: for clients or servers that still cannot do ECDSA.</summary>
    Rsa2048,

    /// <summary>RSA 1024: too weak for any real use; exists only to reproduce weak-key findings.
    /// OpenSSL 3 at its default security level (2) refuses to load it into a TLS server ("ee key too small"),
    /// so an SslStream server on Linux cannot present it.</summary>
    Rsa1024,
}
