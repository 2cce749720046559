using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;

namespace Wsdoctor.Server.Tls;

/// <summary>--tls-dev: a local CA (kept, so it is trusted once) and a server certificate for localhost,
/// 127.0.0.1 and ::1 issued by it, reissued when it nears expiry. Files: ca.pem, ca-key.pem, server.pem,
/// server-key.pem; keys are readable by the owner only.</summary>
public static class DevCertificates
{
    public const string CaFile = "ca.pem";
    public const string CaKeyFile = "ca-key.pem";
    public const string ServerFile = "server.pem";
    public const string ServerKeyFile = "server-key.pem";

    // Reissue a little before expiry, so a server started today still works tomorrow.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    /// <summary>$XDG_DATA_HOME/wsdoctor/dev-tls, or ~/.local/share/wsdoctor/dev-tls (XDG Base Directory spec).</summary>
    public static string DefaultDirectory()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "wsdoctor", "dev-tls");
    }

    /// <summary>Loads or creates the files; <c>Created</c> says which parts are new.</summary>
    public static (ServerCertificate Certificate, string CaPath, string Created) Ensure(string directory, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var caPath = Path.Combine(directory, CaFile);
        var created = "none";
        using var ca = LoadCa(directory) ?? CreateCa(directory, now, ref created);
        var leaf = LoadLeaf(directory, ca.Certificate, now);
        if (leaf is null)
        {
            leaf = IssueLeaf(directory, ca, now);
            created = created == "none" ? "server" : "ca,server";
        }

        return (new ServerCertificate(leaf, [], []), caPath, created);
    }

    private static CertificateAuthority? LoadCa(string directory)
    {
        try
        {
            var certificate = Pem.LoadWithKey(Path.Combine(directory, CaFile), Path.Combine(directory, CaKeyFile));
            return CertificateAuthority.FromCertificate(certificate);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static CertificateAuthority CreateCa(string directory, DateTimeOffset now, ref string created)
    {
        created = "ca";
        var name = $"wsdoctor dev CA {Environment.UserName}@{Environment.MachineName}";
        var ca = CertificateAuthority.CreateRoot(name, now);
        WritePrivate(Path.Combine(directory, CaKeyFile), Pem.ExportPrivateKey(ca.Certificate));
        File.WriteAllText(Path.Combine(directory, CaFile), Pem.Export(ca.Certificate));
        return ca;
    }

    private static X509Certificate2? LoadLeaf(string directory, X509Certificate2 ca, DateTimeOffset now)
    {
        try
        {
            var leaf = Pem.LoadWithKey(Path.Combine(directory, ServerFile), Path.Combine(directory, ServerKeyFile));
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            if (chain.Build(leaf) && now + RenewBefore < leaf.NotAfter)
            {
                return leaf;
            }

            leaf.Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static X509Certificate2 IssueLeaf(string directory, CertificateAuthority ca, DateTimeOffset now)
    {
        var leaf = ca.Issue(LeafSpec.ForHosts(now, "localhost", "127.0.0.1", "::1"));
        WritePrivate(Path.Combine(directory, ServerKeyFile), Pem.ExportPrivateKey(leaf));
        File.WriteAllText(Path.Combine(directory, ServerFile), Pem.Export(leaf));
        return leaf;
    }

    private static void WritePrivate(string path, string text)
    {
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(path, text);
    }

    /// <summary>How to make clients trust ca.pem, one line per client family.</summary>
    public static IReadOnlyList<string> TrustInstructions(string caPath) =>
    [
        $"trust the dev CA {caPath} in your clients:",
        $"  wsdoctor connect --ca {caPath} wss://localhost:PORT/",
        $"  wscat --ca {caPath} -c wss://localhost:PORT/",
        $"  Node: NODE_EXTRA_CA_CERTS={caPath} node app.js",
        $"  Python: SSL_CERT_FILE={caPath} python3 app.py   (or ssl.create_default_context(cafile=\"{caPath}\"))",
        $"  Debian/Ubuntu system-wide: sudo cp {caPath} /usr/local/share/ca-certificates/wsdoctor-dev.crt && sudo update-ca-certificates",
        $"  Chromium/Chrome (NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n wsdoctor-dev -i {caPath}",
    ];
}
