using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Server.Tls;

/// <summary>What Kestrel serves: the leaf with its key and the certificates sent after it.</summary>
public sealed record ServerCertificate(X509Certificate2 Leaf, X509Certificate2Collection Chain, IReadOnlyList<TlsWarning> Warnings);
