using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.Tls;

/// <summary>Certificates the user handed in: --ca roots and the --cert/--key client certificate.</summary>
public sealed record TlsMaterial(X509Certificate2Collection? CustomRoots, X509Certificate2? ClientCertificate)
{
    public static readonly TlsMaterial None = new(null, null);

    /// <summary>Loads the files named in the options; a bad file is a usage error with a one-line message.</summary>
    public static TlsMaterial Load(CheckOptions options)
    {
        X509Certificate2Collection? roots = null;
        X509Certificate2? client = null;
        if (options.CaFile is { } ca)
        {
            roots = LoadOrThrow(() => Pem.LoadCertificates(ca), "--ca", ca);
        }

        if (options.CertFile is { } cert)
        {
            var key = options.KeyFile ?? cert;
            client = LoadOrThrow(() => Pem.LoadWithKey(cert, key), "--cert/--key", cert);
        }
        else if (options.KeyFile is not null)
        {
            throw new CheckUsageException(T("--key needs --cert", "--key 需要同时给出 --cert"));
        }

        return new TlsMaterial(roots, client);
    }

    private static T LoadOrThrow<T>(Func<T> load, string option, string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckUsageException(Findings.Text.T($"{option}: file not found: {path}", $"{option}：文件不存在：{path}"));
        }

        try
        {
            return load();
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException or InvalidDataException or IOException or FormatException)
        {
            throw new CheckUsageException(Findings.Text.T($"{option}: cannot read {path}: {ex.Message}", $"{option}：无法读取 {path}：{ex.Message}"));
        }
    }
}
