using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;

namespace Wsdoctor.CertTool.Loading;

/// <summary>A certificate and where it came from (a file and its position in it, or the server's Certificate message).</summary>
/// <param name="Label"><paramref name="Origin"/> for the report when it is words, not a file name (sent #1 (the server's own)).</param>
public sealed record SourcedCertificate(X509Certificate2 Certificate, string Origin, Text? Label = null)
{
    /// <summary>The origin as the report shows it: a file name as it is, words translated.</summary>
    public Text OriginText => Label ?? Text.Verbatim(Origin);
}
