using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;

namespace Wsdoctor.CertTool.Tests;

/// <summary>Certificates whose outer structure parses but a field does not (found by bench/fuzz, target cert):
/// X509Certificate2 decodes validity, key and extensions lazily, so these threw CryptographicException out of
/// <c>cert inspect</c> when the details were read. The loader now refuses them with one line.</summary>
public sealed class UndecodableCertificateTests
{
    [Theory]
    [InlineData("validity-undecodable.pem", "MIICEQYJKoZIhvcNAQcCoIICAjCCAf4CAQExADALBgkqhkiG9w0BBwGgggHmMIIB4jCCAYigAwIBAgIUHMhniI9MLYNYMkI3CFa2N3VfxYIwCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJZnV6ei50ZXN0MB4XDTI2MTIwMjAwMDAwN1oXDTI3MDEwZAAAADAwN1owFDESMBAGA1UEAwwJZnV6ei50bnN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYMKHmlwASzfeJe0o/3LlfDxtfbEBDBaiaYiPynmbDvoqsRlD1dXKluNaP4G3N7T1wcpaoggeQGdqGwXuYabSIaOBtzCBtDAdBgNVHQ4EFgQU+KITip/pPk5c6a79tMBUUfeJJVswHwYDVR0jBBgwFoAU+KITip/pPk5c6a79tMBUUfeJJVswGgYDVR0RBBMwEYIJZnV6ei50ZXN0hwR/AAABMDMGCCsGAQUFBwEBBCcwJTAjBggrBgEFBQcwAoYXaHR0cDovLzEyNy4wLjAuMS9jYS5kZXIwDAYDVR0TAQH/BAIwADATBgNVHSUEDDAKBggrBgEFBQcDATAKBggqhkjOPQQDAgNIADBFAiEA5BQX8RzPcyt7gRfysXucLYi4w7kQqcrlHzkUcShd+c8CIHM4OZsIjaTaHJQ1YVbrZJ37Qqr8Om7uLtaeyE2i6x7ZMQA=")]
    [InlineData("extension-bad-utf8.pem", "MIICEQYJKoZIhvcNAQcCoIICAjCCAf4CAQExADALBgkqhkiG9w0BBwGgggHmMIIB4jCCAYigAwIBAgIUHMhniI9MLYNYMkI3CFa2N3VfxYIwCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJZnV6ei50ZXN0MB4XDTI2MTIwMjAwMDAwN1oXDTI3MDEwMTAwMDAwN1owFDESMBAGA1UEAwwJZnV6ei50ZXN0MFkwEwYHKoZItT0CAQYIKoZIzj0MAQcDQgAEYMKHmlwASzfeJe0o/3ISfDxtfbEBDBaiaYiPynmbDvoqsRlD1dXKluNaP4G3N7T1wcpaoggeQGdqGwXuYabSIaOBtzCBtDAdBgNVHQ4EFgQU+KITip/pPk5c6a79tMBUUfeJJVswHwYDVR0jBBgwFoAU+KITip/pPk5c6a79tMBUUfeJJVswGgYDVR0RBBMwEYIJZnV6ei50ZXN0hwR/AAABMDMGCCsGAQUFBwEBBCcwJTAjBggrBgEFBQcwAoYXaHR0cDovLzHNNy4wLjAuMS9jYS5kZXIwDAYDVR0TAQH/BAIwADATBgNVHSUEDDAKBggrBgEFBQcDATAKBggqhkjOPQQDAgNIADBFAiEA5BQX8RzPcyt7gRfysXucLYi4w7kQqcrlHzkUcShd+c8CIHM4OZsIjaTaHJQ1YVbrZJ37Qqr8Om7uLtaeyE2i6x7ZMQA=")]
    [InlineData("ec-public-key-undecodable.der", "MIICEQYJKoZIhvcNAQcCoIICAjCCAf4CAQExADALBgkqhkiG9w0BBwGgggHmMIIB4jCCAYigAwIBAgIUHMhniI9MLYNYMkI3CFa2N3VfxYIwCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJZnV6ei50ZXN0MB4XDTI2MTIwMjAwMDAwN1oXDTI3MDEwMTAwMDAwN1owFDESMBAGA1UEAwwJZnV6ei50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYMKHmlwASzfeJe0o/3LlfDx+fbEBDBaiaYiPygqbDvoqsRlD1dXKluNaP4G3N7T1wcpaoggeQGdqGwXuYabSIaOBtzCBtDAdBgNVHQ4EFgQU+KITip/pPk5c6a79tMBUUfeJJVswHwYDVR0jBBgwFoAU+KITip/pPk5c6a79tMBUUfeJJVswGgYDVR0RBBMwEYIJZnV6ei50ZXN0hwR/AAABMDMGCCsGAQUFBwEBBCcwJTAjBggrBgEFBQcwAoYXaHR0cDovLzEyNy4wLjAuMS9jYS5kZXIwDAYDVR0TAQH/BAIwADATBgNVHSUEDDAKBggrBgEFBQcDATAKBggqhkjOPQQDAgNIADBFAiEA5BQX8RzPcyt7gRfysXucLYi4w7kQqcrlHzkUcShd+c8CIHM4OZsIjaTaHJQ1YVbrZJ37Qqr8Om7uLtaeyE2i6x7ZMQA=")]
    public void Parse_FieldThatDoesNotDecode_RefusedWithOneLine(string name, string base64)
    {
        var error = Assert.Throws<CertInputException>(() => CertificateFiles.Parse(Convert.FromBase64String(base64), name));

        Assert.Contains($"{name}: certificate #1 cannot be read: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_GoodCertificate_EveryDetailReads()
    {
        var now = DateTimeOffset.UtcNow;
        using var pki = Certificates.TestPki.Create(now);
        using var leaf = pki.IssueLeaf(new Certificates.LeafSpec("fuzz.test", ["fuzz.test"], [System.Net.IPAddress.Loopback], now.AddDays(-1), now.AddDays(30)));
        var pem = System.Text.Encoding.UTF8.GetBytes(Certificates.Pem.Export(leaf));
        var certificate = Assert.Single(CertificateFiles.Parse(pem, "leaf.pem"));

        Assert.Null(CertificateDecoding.Problem(certificate));
        Assert.NotNull(CertificateDetails.Of(new SourcedCertificate(certificate, "leaf.pem"), 1, "leaf", null, now));
    }
}
