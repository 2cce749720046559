using Wsdoctor.Server.Hosting;
using Wsdoctor.Server.Observability;
using Wsdoctor.Server.Tls;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>What the user asked for: --tls-cert/--tls-key, --tls-dev [--tls-dev-dir], or nothing.</summary>
public sealed record ServeTlsRequest(string? CertPath, string? KeyPath, bool Dev, string? DevDirectory);

/// <summary>Turns the TLS options into the certificate Kestrel serves, logging what clients would trip over.</summary>
public static class ServeTls
{
    public static ServeOptions Prepare(ServeOptions options, ServeTlsRequest request, EventLog log)
    {
        ServerCertificate? certificate = null;
        if (request.CertPath is { } certPath && request.KeyPath is { } keyPath)
        {
            try
            {
                certificate = PemServerCertificate.Load(certPath, keyPath, DateTimeOffset.UtcNow);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"--tls-cert/--tls-key: {e.Message}", $"--tls-cert/--tls-key：{e.Message}"));
            }
        }
        else if (request.Dev)
        {
            var directory = Path.GetFullPath(request.DevDirectory ?? DevCertificates.DefaultDirectory());
            try
            {
                var (dev, caPath, created) = DevCertificates.Ensure(directory, DateTimeOffset.UtcNow);
                certificate = dev;
                log.Write("tls-dev", ("ca", caPath), ("dir", directory), ("created", created));
                foreach (var line in DevCertificates.TrustInstructions(caPath))
                {
                    log.Note(line.In(LanguageOption.Current));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException(T($"--tls-dev: cannot use {directory}: {e.Message}", $"--tls-dev：无法使用 {directory}：{e.Message}"));
            }
        }

        if (certificate is null)
        {
            return options;
        }

        foreach (var warning in certificate.Warnings)
        {
            log.Write("warn", ("code", warning.Code), ("detail", warning.Message));
        }

        return options with { Certificate = certificate.Leaf, CertificateChain = certificate.Chain };
    }
}
