using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Wsdoctor.Certificates;

public static partial class Pem
{
    // RFC 7468 labels of unencrypted private keys: PKCS#8, PKCS#1 (RSA) and SEC1 (EC).
    private static readonly string[] PrivateKeyLabels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaPublicKeyOid = "1.2.840.113549.1.1.1";

    /// <summary>Every certificate in a PEM file (other blocks such as keys are skipped), or the single
    /// certificate of a DER file.</summary>
    /// <exception cref="InvalidDataException">The file holds no readable certificate; the message names it.</exception>
    public static X509Certificate2Collection LoadCertificates(string path) => ParseCertificates(File.ReadAllBytes(path), path);

    /// <summary>The certificates of a file's bytes, as <see cref="LoadCertificates"/> reads them.</summary>
    /// <param name="path">The name the error messages show.</param>
    /// <exception cref="InvalidDataException">No readable certificate; the message names <paramref name="path"/>.</exception>
    public static X509Certificate2Collection ParseCertificates(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.UTF8.GetString(bytes));
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{path}: a CERTIFICATE block cannot be read: {e.Message}", e);
        }

        if (certificates.Count > 0)
        {
            return certificates;
        }

        try
        {
            certificates.Add(X509CertificateLoader.LoadCertificate(bytes));
            return certificates;
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException(
                $"{path} contains no certificate: expected PEM '-----BEGIN CERTIFICATE-----' blocks or one DER certificate",
                e);
        }
    }

    /// <summary>The first certificate of <paramref name="certPath"/> joined with the unencrypted EC or RSA
    /// private key in <paramref name="keyPath"/> (PKCS#8, PKCS#1 or SEC1 PEM), ready for SslStream.</summary>
    /// <exception cref="InvalidDataException">No usable key, an encrypted key, or a key that belongs to another
    /// certificate; the message names the files.</exception>
    public static X509Certificate2 LoadWithKey(string certPath, string keyPath)
    {
        var certificates = LoadCertificates(certPath);
        foreach (var extra in certificates.Skip(1))
        {
            extra.Dispose();
        }

        var certificate = certificates[0];
        var subject = certificate.Subject;
        KeyPair key;
        try
        {
            key = ReadPrivateKey(keyPath, certificate);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }

        using (key)
        {
            try
            {
                return key.AttachTo(certificate);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(
                    $"{keyPath} does not hold the private key of the certificate in {certPath} ({subject})", e);
            }
        }
    }

    private static KeyPair ReadPrivateKey(string keyPath, X509Certificate2 certificate)
    {
        var text = File.ReadAllText(keyPath);
        ReadOnlySpan<char> remaining = text;
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            if (label == "ENCRYPTED PRIVATE KEY")
            {
                throw new InvalidDataException(
                    $"{keyPath} holds an encrypted private key; decrypt it first (openssl pkey -in KEY -out KEY.plain)");
            }

            if (PrivateKeyLabels.Contains(label))
            {
                return Import(keyPath, certificate.GetKeyAlgorithm(), remaining[fields.Location]);
            }

            remaining = remaining[fields.Location.End..];
        }

        throw new InvalidDataException(
            $"{keyPath} contains no private key: expected a PEM 'PRIVATE KEY', 'EC PRIVATE KEY' or 'RSA PRIVATE KEY' block");
    }

    private static KeyPair Import(string keyPath, string certificateKeyOid, ReadOnlySpan<char> pem)
    {
        try
        {
            return certificateKeyOid switch
            {
                EcPublicKeyOid => KeyPair.ImportEcdsa(pem),
                RsaPublicKeyOid => KeyPair.ImportRsa(pem),
                _ => throw new InvalidDataException(
                    $"{keyPath}: the certificate's key algorithm {certificateKeyOid} is neither EC nor RSA"),
            };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException(
                $"{keyPath}: the private key cannot be read as the certificate's {(certificateKeyOid == EcPublicKeyOid ? "EC" : "RSA")} key: {e.Message}",
                e);
        }
    }
}
