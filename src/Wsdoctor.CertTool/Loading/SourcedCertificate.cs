using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.CertTool.Loading;

/// <summary>A certificate and where it came from (a file and its position in it, or the server's Certificate message).</summary>
public sealed record SourcedCertificate(X509Certificate2 Certificate, string Origin);
