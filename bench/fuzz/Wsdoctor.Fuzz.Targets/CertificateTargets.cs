using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.CertTool;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>Certificate files as <c>cert inspect</c> reads them (PEM, DER, PKCS#7) and every detail it then shows of
/// each certificate, and the PEM import behind <c>serve --tls-cert</c>.</summary>
public static class CertificateTargets
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Run(byte[] input)
    {
        IReadOnlyList<X509Certificate2> loaded = [];
        try
        {
            loaded = CertificateFiles.Parse(input, "fuzz.pem");
            var sourced = loaded.Select((c, i) => new SourcedCertificate(c, $"fuzz.pem #{i + 1}")).ToArray();
            for (int i = 0; i < sourced.Length; i++)
            {
                var signedBy = i + 1 < sourced.Length && CertificateLinks.IsIssuedBy(sourced[i].Certificate, sourced[i + 1].Certificate) ? sourced[i + 1].Origin : null;
                _ = CertificateDetails.Of(sourced[i], i + 1, i == 0 ? "leaf" : "intermediate", signedBy, Now);
                _ = CertificateLinks.IsSelfIssued(sourced[i].Certificate);
                _ = CertificateLinks.IsCa(sourced[i].Certificate);
            }

            _ = ChainStructure.Of(loaded);
        }
        catch (CertInputException)
        {
            // The loader's refusal; the PEM import below must still be a value for the same bytes.
        }
        finally
        {
            foreach (var certificate in loaded)
            {
                certificate.Dispose();
            }
        }

        using var imported = new Disposing(Pem.ParseCertificates(input, "fuzz.pem"));
        Invariants.Require(imported.Certificates.Count > 0, "cert", "the PEM import returned no certificate without an error");
    }

    private sealed class Disposing(X509Certificate2Collection certificates) : IDisposable
    {
        public X509Certificate2Collection Certificates => certificates;

        public void Dispose()
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
