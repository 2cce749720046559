using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wsdoctor.Certificates;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.CertTool.Dev;

/// <summary><c>cert dev --install</c> / <c>--uninstall</c>: trusts the dev CA where Linux clients look for roots: the
/// system store (OpenSSL, curl, Python, Go, .NET, Java via ca-certificates-java hooks), the NSS database Chromium reads
/// (~/.pki/nssdb) and every Firefox profile's (Firefox keeps its own). Every change is recorded
/// (<see cref="InstallRecord"/>) and reported; nothing is touched without --install.</summary>
public static class TrustInstaller
{
    private const string CertutilName = "certutil";

    /// <summary>NSS trust flags: C = trusted CA for TLS servers (the first of the three trust fields).</summary>
    private const string ServerCaTrust = "C,,";

    public sealed record Outcome(IReadOnlyList<Text> Changed, IReadOnlyList<Text> Skipped, IReadOnlyList<Text> Problems);

    public static string Nickname(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        return $"wsdoctor dev CA {ca.GetCertHashString(HashAlgorithmName.SHA256)[..8].ToLowerInvariant()}";
    }

    public static async Task<Outcome> InstallAsync(DevAuthority ca, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var record = InstallRecord.Read(ca.Directory);
        var changed = new List<Text>();
        var skipped = new List<Text>();
        var problems = new List<Text>();
        var nickname = Nickname(ca.Authority.Certificate);

        await InstallSystemAsync(ca, nickname, record, changed, skipped, problems, cancellationToken).ConfigureAwait(false);
        var certutil = ToolRunner.Find(CertutilName);
        var databases = NssDatabases();
        if (certutil is null)
        {
            problems.Add(T("NSS (Chromium, Firefox): certutil is missing: sudo apt-get install libnss3-tools, then run this again", $"NSS（Chromium、Firefox）：缺少 certutil：先执行 {"sudo apt-get install libnss3-tools"}，再重新运行本命令"));
        }
        else
        {
            foreach (var (database, isChromium) in databases)
            {
                await InstallNssAsync(certutil, database, isChromium, ca.CaPath, nickname, record, changed, skipped, problems, cancellationToken).ConfigureAwait(false);
            }
        }

        InstallRecord.Write(ca.Directory, record);
        return new Outcome(changed, skipped, problems);
    }

    public static async Task<Outcome> UninstallAsync(DevAuthority ca, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var record = InstallRecord.Read(ca.Directory);
        var changed = new List<Text>();
        var problems = new List<Text>();
        var remaining = new List<InstalledEntry>();
        var store = SystemStore.Current();
        foreach (var entry in record)
        {
            if (entry.Store == "system")
            {
                if (!store.CanWrite)
                {
                    problems.Add(T($"system store: removing {entry.Location} needs root: sudo wsdoctor cert dev --uninstall", $"系统信任库：删除 {entry.Location} 需要 root 权限：{"sudo wsdoctor cert dev --uninstall"}"));
                    remaining.Add(entry);
                    continue;
                }

                File.Delete(entry.Location);
                var (code, output) = await RunUpdateAsync(store, cancellationToken).ConfigureAwait(false);
                if (code != 0)
                {
                    problems.Add(T($"system store: update-ca-certificates failed after removing {entry.Location}: {output}", $"系统信任库：删除 {entry.Location} 后 update-ca-certificates 失败：{output}"));
                }

                changed.Add(T($"system store: removed {entry.Location} and ran update-ca-certificates", $"系统信任库：已删除 {entry.Location} 并运行 update-ca-certificates"));
            }
            else if (ToolRunner.Find(CertutilName) is { } certutil)
            {
                var (code, output) = await ToolRunner.RunAsync(certutil, ["-D", "-d", entry.Location, "-n", entry.Nickname!], cancellationToken).ConfigureAwait(false);
                if (code != 0 && !output.Contains("could not find certificate", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(T($"NSS {entry.Location}: certutil -D failed: {output}", $"NSS {entry.Location}：certutil -D 失败：{output}"));
                    remaining.Add(entry);
                    continue;
                }

                changed.Add(T($"NSS {entry.Location}: removed '{entry.Nickname}'", $"NSS {entry.Location}：已删除“{entry.Nickname}”"));
                if (entry.CreatedDatabase)
                {
                    var directory = entry.Location["sql:".Length..];
                    foreach (var file in new[] { "cert9.db", "key4.db", "pkcs11.txt" })
                    {
                        File.Delete(Path.Combine(directory, file));
                    }

                    if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                    {
                        Directory.Delete(directory);
                    }

                    changed.Add(T($"NSS {directory}: removed the empty database wsdoctor had created", $"NSS {directory}：已删除 wsdoctor 当初创建的空数据库"));
                }
            }
            else
            {
                problems.Add(T($"NSS {entry.Location}: certutil is missing (libnss3-tools), '{entry.Nickname}' is still there", $"NSS {entry.Location}：缺少 certutil（libnss3-tools），“{entry.Nickname}”仍然在里面"));
                remaining.Add(entry);
            }
        }

        InstallRecord.Write(ca.Directory, remaining);
        return new Outcome(changed, record.Count == 0 ? [T("nothing recorded as installed by wsdoctor cert dev --install", $"没有记录表明 {"wsdoctor cert dev --install"} 安装过任何内容")] : [], problems);
    }

    /// <summary>The lines that make single programs trust the CA without any store.</summary>
    public static IReadOnlyList<Text> EnvironmentLines(string caPath) =>
    [
        T($"export NODE_EXTRA_CA_CERTS={caPath}        # Node.js (added to its bundled roots)", $"{$"export NODE_EXTRA_CA_CERTS={caPath}"}        # Node.js（加到它自带的根证书之后）"),
        T($"export SSL_CERT_FILE={caPath}              # OpenSSL clients (curl, Python ssl, Ruby, PHP): replaces the system bundle", $"{$"export SSL_CERT_FILE={caPath}"}              # OpenSSL 客户端（curl、Python ssl、Ruby、PHP）：替换系统的证书包"),
        T($"export REQUESTS_CA_BUNDLE={caPath}         # Python requests (uses certifi, not the system store)", $"{$"export REQUESTS_CA_BUNDLE={caPath}"}         # Python requests（用的是 certifi，而不是系统信任库）"),
        Verbatim($"wsdoctor check --ca {caPath} wss://localhost:PORT/"),
    ];

    private static async Task InstallSystemAsync(DevAuthority ca, string nickname, List<InstalledEntry> record, List<Text> changed, List<Text> skipped, List<Text> problems, CancellationToken cancellationToken)
    {
        var store = SystemStore.Current();
        var target = Path.Combine(store.LocalDirectory, nickname.Replace(' ', '-') + ".crt");
        if (record.Any(e => e.Store == "system" && e.Location == target) && File.Exists(target))
        {
            skipped.Add(T($"system store: already installed ({target})", $"系统信任库：已安装（{target}）"));
            return;
        }

        if (!store.CanWrite)
        {
            problems.Add(T($"system store: needs root, not changed. Run: sudo cp {ca.CaPath} {target} && sudo update-ca-certificates (or sudo wsdoctor cert dev --install)", $"系统信任库：需要 root 权限，未做改动。请运行：{$"sudo cp {ca.CaPath} {target} && sudo update-ca-certificates"}（或 {"sudo wsdoctor cert dev --install"}）"));
            return;
        }

        if (ToolRunner.Find("update-ca-certificates") is null)
        {
            problems.Add(T("system store: update-ca-certificates is missing (apt-get install ca-certificates); not changed", "系统信任库：缺少 update-ca-certificates（apt-get install ca-certificates）；未做改动"));
            return;
        }

        Directory.CreateDirectory(store.LocalDirectory);
        File.Copy(ca.CaPath, target, overwrite: true);
        record.RemoveAll(e => e.Store == "system" && e.Location == target);
        record.Add(new InstalledEntry("system", target, null, false));
        var (code, output) = await RunUpdateAsync(store, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            problems.Add(T($"system store: update-ca-certificates failed: {output}", $"系统信任库：update-ca-certificates 失败：{output}"));
            return;
        }

        changed.Add(T($"system store: {target}, then update-ca-certificates ({store.Bundle})", $"系统信任库：{target}，然后运行 update-ca-certificates（{store.Bundle}）"));
    }

    private static async Task<(int, string)> RunUpdateAsync(SystemStore store, CancellationToken cancellationToken) =>
        await ToolRunner.RunAsync(ToolRunner.Find("update-ca-certificates") ?? "update-ca-certificates", store.UpdateArguments(), cancellationToken).ConfigureAwait(false);

    private static async Task InstallNssAsync(string certutil, string directory, bool isChromium, string caPath, string nickname, List<InstalledEntry> record, List<Text> changed, List<Text> skipped, List<Text> problems, CancellationToken cancellationToken)
    {
        var database = "sql:" + directory;
        var who = isChromium ? "Chromium" : "Firefox";
        var created = false;
        if (!File.Exists(Path.Combine(directory, "cert9.db")))
        {
            // Chromium creates ~/.pki/nssdb on its first start; creating it now lets a never-started Chromium trust the CA.
            Directory.CreateDirectory(directory);
            var (newCode, newOutput) = await ToolRunner.RunAsync(certutil, ["-N", "-d", database, "--empty-password"], cancellationToken).ConfigureAwait(false);
            if (newCode != 0)
            {
                problems.Add(T($"{who} NSS {directory}: cannot create the database: {newOutput}", $"{who} NSS {directory}：无法创建数据库：{newOutput}"));
                return;
            }

            created = true;
        }

        var (listCode, _) = await ToolRunner.RunAsync(certutil, ["-L", "-d", database, "-n", nickname], cancellationToken).ConfigureAwait(false);
        if (listCode == 0 && record.Any(e => e.Location == database && e.Nickname == nickname))
        {
            skipped.Add(T($"{who} NSS {directory}: already installed", $"{who} NSS {directory}：已安装"));
            return;
        }

        var (code, output) = await ToolRunner.RunAsync(certutil, ["-A", "-d", database, "-t", ServerCaTrust, "-n", nickname, "-i", caPath], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            problems.Add(T($"{who} NSS {directory}: certutil -A failed: {output}", $"{who} NSS {directory}：certutil -A 失败：{output}"));
            return;
        }

        record.RemoveAll(e => e.Location == database && e.Nickname == nickname);
        record.Add(new InstalledEntry(isChromium ? "nss-chromium" : "nss-firefox", database, nickname, created));
        changed.Add(T($"{who} NSS {directory}: added '{nickname}' (trusted for TLS servers){(created ? ", database created" : "")}", $"{who} NSS {directory}：已添加“{nickname}”（信任其签发的 TLS 服务端证书）{(created ? T(", database created", "，并创建了数据库") : Empty)}"));
    }

    /// <summary>~/.pki/nssdb (Chromium, Chrome) and the profiles of Firefox (Debian, Mozilla's tarball, snap) that
    /// already exist: a Firefox profile is never created.</summary>
    private static IEnumerable<(string Directory, bool IsChromium)> NssDatabases()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return (Path.Combine(home, ".pki", "nssdb"), true);
        foreach (var profiles in new[] { Path.Combine(home, ".mozilla", "firefox"), Path.Combine(home, "snap", "firefox", "common", ".mozilla", "firefox") })
        {
            if (!Directory.Exists(profiles))
            {
                continue;
            }

            foreach (var profile in Directory.EnumerateDirectories(profiles).Order(StringComparer.Ordinal).Take(100))
            {
                if (File.Exists(Path.Combine(profile, "cert9.db")))
                {
                    yield return (profile, false);
                }
            }
        }
    }
}
