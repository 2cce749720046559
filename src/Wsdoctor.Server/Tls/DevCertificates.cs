using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Server.Tls;

/// <summary>--tls-dev: a local CA (kept, so it is trusted once) and a server certificate for localhost,
/// 127.0.0.1 and ::1 issued by it, reissued when it nears expiry. Files: ca.pem, ca-key.pem, server.pem,
/// server-key.pem; keys are readable by the owner only.</summary>
public static class DevCertificates
{
    public const string CaFile = DevAuthority.CaFile;
    public const string CaKeyFile = DevAuthority.CaKeyFile;
    public const string ServerFile = "server.pem";
    public const string ServerKeyFile = "server-key.pem";

    // Reissue a little before expiry, so a server started today still works tomorrow.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    /// <summary>$XDG_DATA_HOME/wsdoctor/dev-tls, or ~/.local/share/wsdoctor/dev-tls; the CA there is the one
    /// <c>wsdoctor cert dev</c> creates and installs too (<see cref="DevAuthority"/>).</summary>
    public static string DefaultDirectory() => DevAuthority.DefaultDirectory();

    /// <summary>Loads or creates the files; <c>Created</c> says which parts are new.</summary>
    public static (ServerCertificate Certificate, string CaPath, string Created) Ensure(string directory, DateTimeOffset now)
    {
        using var ca = DevAuthority.OpenOrCreate(directory, now);
        var created = ca.Created ? "ca" : "none";
        var leaf = LoadLeaf(directory, ca.Authority.Certificate, now);
        if (leaf is null)
        {
            leaf = IssueLeaf(directory, ca.Authority, now);
            created = created == "none" ? "server" : "ca,server";
        }

        return (new ServerCertificate(leaf, [], []), ca.CaPath, created);
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
                DevAuthority.EnsurePrivate(Path.Combine(directory, ServerKeyFile));
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
        DevAuthority.WritePrivate(Path.Combine(directory, ServerKeyFile), Pem.ExportPrivateKey(leaf));
        File.WriteAllText(Path.Combine(directory, ServerFile), Pem.Export(leaf));
        return leaf;
    }

    /// <summary>How to make clients trust ca.pem, one line per client family.</summary>
    public static IReadOnlyList<Text> TrustInstructions(string caPath) =>
    [
        T($"trust the dev CA {caPath} in your clients:", $"在客户端里信任开发用 CA {caPath}："),
        Verbatim($"  wsdoctor connect --ca {caPath} wss://localhost:PORT/"),
        Verbatim($"  wscat --ca {caPath} -c wss://localhost:PORT/"),
        Verbatim($"  Node: NODE_EXTRA_CA_CERTS={caPath} node app.js"),
        T($"  Python: SSL_CERT_FILE={caPath} python3 app.py   (or ssl.create_default_context(cafile=\"{caPath}\"))",
          $"  Python：SSL_CERT_FILE={caPath} python3 app.py   （或 ssl.create_default_context(cafile=\"{caPath}\")）"),
        T($"  Debian/Ubuntu system-wide: sudo cp {caPath} /usr/local/share/ca-certificates/wsdoctor-dev.crt && sudo update-ca-certificates",
          $"  Debian/Ubuntu 全系统信任：sudo cp {caPath} /usr/local/share/ca-certificates/wsdoctor-dev.crt && sudo update-ca-certificates"),
        Verbatim($"  Chromium/Chrome (NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n wsdoctor-dev -i {caPath}"),
        T("  or all of these at once: wsdoctor cert dev --install", "  或者一次全部完成：wsdoctor cert dev --install"),
    ];
}
