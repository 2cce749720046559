using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Verification;

/// <summary>Which certificate a private key belongs to: the public half of the key (its SubjectPublicKeyInfo) equals
/// the certificate's. That is the comparison nginx and OpenSSL make (X509_check_private_key) before serving.</summary>
public static class KeyMatch
{
    private static readonly string[] Labels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    /// <summary>The SubjectPublicKeyInfo of the unencrypted private key in <paramref name="path"/>.</summary>
    public static byte[] PublicKeyOf(string path)
    {
        if (!File.Exists(path))
        {
            throw new CertInputException(T($"--key: file not found: {path}", $"--key：文件不存在：{path}"));
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertInputException(T($"--key: cannot read {path}: {e.Message}", $"--key：无法读取 {path}：{e.Message}"));
        }

        ReadOnlySpan<char> remaining = text;
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            if (label == "ENCRYPTED PRIVATE KEY")
            {
                throw new CertInputException(T($"--key: {path} is encrypted; decrypt a copy first (openssl pkey -in {path} -out key.plain.pem)", $"--key：{path} 已加密；请先解密出一份副本（openssl pkey -in {path} -out key.plain.pem）"));
            }

            if (Labels.Contains(label))
            {
                return Import(remaining[fields.Location], label, path);
            }

            remaining = remaining[fields.Location.End..];
        }

        throw new CertInputException(T($"--key: {path} holds no PEM private key ('PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY')", $"--key：{path} 中没有 PEM 私钥（“PRIVATE KEY”、“EC PRIVATE KEY”或“RSA PRIVATE KEY”）"));
    }

    public static bool Matches(byte[] publicKey, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey);
    }

    private static byte[] Import(ReadOnlySpan<char> pem, string label, string path)
    {
        // A PKCS#8 "PRIVATE KEY" does not say its algorithm in the label: try EC, then RSA.
        if (label is "EC PRIVATE KEY" or "PRIVATE KEY")
        {
            using var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(pem);
                return ec.ExportSubjectPublicKeyInfo();
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                if (label == "EC PRIVATE KEY")
                {
                    throw new CertInputException(T($"--key: {path}: the EC key cannot be read: {e.Message}", $"--key：{path}：无法读取 EC 私钥：{e.Message}"));
                }
            }
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CertInputException(T($"--key: {path}: neither an EC nor an RSA key ({e.Message})", $"--key：{path}：既不是 EC 私钥，也不是 RSA 私钥（{e.Message}）"));
        }
    }
}
