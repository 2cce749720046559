using System.Security.Cryptography.X509Certificates;

namespace Wsdoctor.Certificates;

/// <summary>The one local development CA of this user, shared by <c>wsdoctor serve --tls-dev</c> and
/// <c>wsdoctor cert dev</c>: created once in a directory (ca.pem, ca-key.pem; the key readable by the owner only)
/// and reused, so that trusting it once is enough.</summary>
public sealed class DevAuthority : IDisposable
{
    public const string CaFile = "ca.pem";
    public const string CaKeyFile = "ca-key.pem";

    /// <summary>Leaves for development: a little over a year, within every client's limit for certificates from roots
    /// the user added (Apple: 825 days; public CAs: 398).</summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(397);

    private DevAuthority(string directory, CertificateAuthority authority, bool created)
    {
        Directory = directory;
        Authority = authority;
        Created = created;
    }

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, CaFile);

    public CertificateAuthority Authority { get; }

    /// <summary>True when this call created the CA (nothing trusts it yet).</summary>
    public bool Created { get; }

    /// <summary>$XDG_DATA_HOME/wsdoctor/dev-tls, or ~/.local/share/wsdoctor/dev-tls (XDG Base Directory spec).</summary>
    public static string DefaultDirectory()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "wsdoctor", "dev-tls");
    }

    /// <summary>Loads the CA from <paramref name="directory"/>, or creates it there when it is missing or unreadable.</summary>
    public static DevAuthority OpenOrCreate(string directory, DateTimeOffset now)
    {
        CreatePrivateDirectory(directory);
        if (Load(directory) is { } existing)
        {
            EnsurePrivate(Path.Combine(directory, CaKeyFile));
            return new DevAuthority(directory, existing, created: false);
        }

        var name = $"wsdoctor dev CA {Environment.UserName}@{Environment.MachineName}";
        var ca = CertificateAuthority.CreateRoot(name, now);
        WritePrivate(Path.Combine(directory, CaKeyFile), Pem.ExportPrivateKey(ca.Certificate));
        File.WriteAllText(Path.Combine(directory, CaFile), Pem.Export(ca.Certificate));
        return new DevAuthority(directory, ca, created: true);
    }

    /// <summary>A server leaf for <paramref name="hosts"/> (DNS names, wildcards, IP literals), signed by this CA.</summary>
    public X509Certificate2 IssueLeaf(IReadOnlyList<string> hosts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var spec = LeafSpec.ForHosts(now, [.. hosts]);
        return Authority.Issue(spec with { NotAfter = now + LeafLifetime });
    }

    /// <summary>Writes a file that only its owner may read (private keys): any old file (or a symlink planted in its
    /// place) is removed first and the new one is created exclusively with mode 0600, so no byte is ever readable by
    /// others and nothing is written through a link.</summary>
    public static void WritePrivate(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.UTF8, options);
        writer.Write(text);
    }

    /// <summary>Tightens a key file that already exists (written by an older wsdoctor, or copied in) to 0600.</summary>
    public static void EnsurePrivate(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }

    /// <summary>Creates a directory that holds private keys as 0700 (and tightens it when it already exists).</summary>
    public static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }

        System.IO.Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
    }

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public void Dispose() => Authority.Dispose();

    private static CertificateAuthority? Load(string directory)
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
}
