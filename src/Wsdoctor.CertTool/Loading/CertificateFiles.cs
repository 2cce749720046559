using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Loading;

/// <summary>Reads certificates the way CAs and servers store them: PEM with one or more CERTIFICATE blocks (keys and
/// other blocks skipped), PKCS#7 (PEM "PKCS7" or DER .p7b/.p7c), or one DER certificate.</summary>
public static class CertificateFiles
{
    /// <summary>Large enough for any chain or CA bundle, small enough that a wrong path (a disk image) fails fast.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    public static IReadOnlyList<SourcedCertificate> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CertInputException(Directory.Exists(path)
                ? T($"{path} is a directory without cert.pem/fullchain.pem", $"{path} 是目录，但其中没有 cert.pem/fullchain.pem")
                : T($"file not found: {path}", $"文件不存在：{path}"));
        }

        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                throw new CertInputException(T($"{path} is larger than {MaxFileBytes / 1024 / 1024} MiB: not a certificate file", $"{path} 大于 {MaxFileBytes / 1024 / 1024} MiB：不是证书文件"));
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertInputException(T($"cannot read {path}: {e.Message}", $"无法读取 {path}：{e.Message}"));
        }

        var name = Path.GetFileName(path);
        var certificates = Parse(bytes, path);
        return certificates.Select((c, i) => new SourcedCertificate(c, certificates.Count == 1 ? name : $"{name} #{i + 1}")).ToArray();
    }

    public static IReadOnlyList<X509Certificate2> Parse(byte[] bytes, string path)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var found = new List<X509Certificate2>();
        ReadOnlySpan<char> remaining = text;
        var sawPem = false;
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            sawPem = true;
            var label = remaining[fields.Label].ToString();
            var data = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            try
            {
                switch (label)
                {
                    case "CERTIFICATE" or "TRUSTED CERTIFICATE" or "X509 CERTIFICATE":
                        found.Add(X509CertificateLoader.LoadCertificate(data));
                        break;
                    case "PKCS7" or "CMS":
                        found.AddRange(FromPkcs7(data));
                        break;
                }
            }
            catch (CryptographicException e)
            {
                throw new CertInputException(T($"{path}: a {label} block cannot be read: {e.Message}", $"{path}：无法读取其中的 {label} 块：{e.Message}"));
            }

            remaining = remaining[fields.Location.End..];
        }

        if (found.Count > 0)
        {
            return Decodable(found, path);
        }

        if (sawPem)
        {
            throw new CertInputException(T($"{path} holds PEM blocks but no certificate (a key file? pass it with --key)", $"{path} 含有 PEM 块，但没有证书（是私钥文件吗？请用 --key 传入）"));
        }

        try
        {
            return Decodable([X509CertificateLoader.LoadCertificate(bytes)], path);
        }
        catch (CryptographicException)
        {
            // Not one DER certificate: a DER PKCS#7 bundle (.p7b, .p7c) is the other binary form CAs publish.
        }

        try
        {
            return Decodable(FromPkcs7(bytes), path);
        }
        catch (CryptographicException)
        {
            throw new CertInputException(T($"{path} contains no certificate: expected PEM '-----BEGIN CERTIFICATE-----' blocks, DER, or PKCS#7", $"{path} 中没有证书：应为 PEM（“-----BEGIN CERTIFICATE-----”块）、DER 或 PKCS#7"));
        }
    }

    private static IReadOnlyList<X509Certificate2> Decodable(IReadOnlyList<X509Certificate2> certificates, string path)
    {
        for (int i = 0; i < certificates.Count; i++)
        {
            if (CertificateDecoding.Problem(certificates[i]) is { } problem)
            {
                foreach (var certificate in certificates)
                {
                    certificate.Dispose();
                }

                throw new CertInputException(T($"{path}: certificate #{i + 1} cannot be read: {problem}", $"{path}：无法读取第 #{i + 1} 个证书：{problem}"));
            }
        }

        return certificates;
    }

    private static IReadOnlyList<X509Certificate2> FromPkcs7(byte[] der)
    {
        var signed = new SignedCms();
        signed.Decode(der);
        return signed.Certificates.Cast<X509Certificate2>().ToArray();
    }
}
