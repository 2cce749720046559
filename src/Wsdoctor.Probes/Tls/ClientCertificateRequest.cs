namespace Wsdoctor.Probes.Tls;

/// <summary>The server's CertificateRequest as the TLS handshake exposed it: which issuers it accepts, and what we answered.</summary>
internal sealed record ClientCertificateRequest(string[] AcceptableIssuers, string? SentSubject);
