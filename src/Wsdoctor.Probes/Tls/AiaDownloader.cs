using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

/// <summary>Downloads what an AIA caIssuers URL serves (RFC 5280 4.2.2.1): one certificate in DER or PEM, or a
/// PKCS#7 certs-only bundle. Bounded in size, redirects and time; failures are values.</summary>
public static class AiaDownloader
{
    /// <summary>An issuer certificate (or a small PKCS#7 bundle) is a few KiB.</summary>
    public const int MaxDownloadBytes = 64 * 1024;

    public const int MaxRedirects = 3;

    public static async Task<(IReadOnlyList<X509Certificate2> Certificates, Text Error)> DownloadAsync(string url, TimeSpan timeout, bool useProxy, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = timeout, UseProxy = useProxy, AllowAutoRedirect = true, MaxAutomaticRedirections = MaxRedirects };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(timeout);
        byte[] body;
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, step.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return ([], Verbatim($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(step.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, step.Token).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxDownloadBytes)
                {
                    return ([], T($"more than {MaxDownloadBytes / 1024} KiB, not a certificate", $"超过 {MaxDownloadBytes / 1024} KiB，不是证书"));
                }
            }

            body = buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return ([], e is OperationCanceledException ? T("no answer in time", "超时无响应") : Verbatim(Net.ExceptionText.Chain(e)));
        }

        return Parse(body);
    }

    /// <summary>DER, PEM (one or more certificates) or PKCS#7 certs-only.</summary>
    public static (IReadOnlyList<X509Certificate2> Certificates, Text Error) Parse(byte[] body)
    {
        try
        {
            return ([X509CertificateLoader.LoadCertificate(body)], Text.Empty);
        }
        catch (CryptographicException)
        {
            // Not a single DER/PEM certificate: try a PKCS#7 certs-only bundle (.p7c).
        }

        try
        {
            var signed = new SignedCms();
            signed.Decode(body);
            return (signed.Certificates.Cast<X509Certificate2>().ToArray(), Text.Empty);
        }
        catch (CryptographicException e)
        {
            return ([], T($"the answer is not a certificate ({e.Message})", $"响应不是证书（{e.Message}）"));
        }
    }
}
