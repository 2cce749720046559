using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Browsers.Launch;

/// <summary>A browser profile that exists for one run: a private directory (HOME, the profile, the NSS database)
/// that is deleted afterwards. Never the user's own profile: their extensions, cookies and exceptions would make the
/// verdict theirs, not the page's.</summary>
public sealed class ThrowawayProfile : IDisposable
{
    private ThrowawayProfile(string root)
    {
        Root = root;
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(ProfileDirectory);
    }

    public string Root { get; }

    /// <summary>$HOME for the browser: Chromium reads its NSS database from $HOME/.pki/nssdb.</summary>
    public string Home => Path.Combine(Root, "home");

    /// <summary>Chromium's --user-data-dir, Firefox's --profile.</summary>
    public string ProfileDirectory => Path.Combine(Root, "profile");

    public static ThrowawayProfile Create(BrowserKind kind)
    {
        var root = Directory.CreateTempSubdirectory($"wsdoctor-{kind.Name()}-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new ThrowawayProfile(root);
    }

    /// <summary>Trusts the given CA certificates, and only those, for TLS server authentication in the NSS database
    /// the browser reads: Chromium's $HOME/.pki/nssdb, Firefox's profile. Uses certutil (libnss3-tools).</summary>
    /// <exception cref="BrowserMissingException">certutil is not installed.</exception>
    /// <exception cref="InvalidOperationException">certutil refused a certificate.</exception>
    public async Task TrustAsync(BrowserKind kind, X509Certificate2Collection authorities, CancellationToken cancellationToken)
    {
        var certutil = FindCertutil() ?? throw new BrowserMissingException(T(
            "--ca with a real browser needs certutil to write the browser's trust store: apt-get install libnss3-tools",
            "对真实浏览器使用 --ca 需要 certutil 来写入浏览器的信任库：apt-get install libnss3-tools"));
        var directory = kind == BrowserKind.Chromium ? Path.Combine(Home, ".pki", "nssdb") : ProfileDirectory;
        Directory.CreateDirectory(directory);
        var database = "sql:" + directory;
        await RunAsync(certutil, ["-d", database, "-N", "--empty-password"], cancellationToken).ConfigureAwait(false);
        var index = 0;
        foreach (var authority in authorities)
        {
            var file = Path.Combine(Root, $"ca-{index}.pem");
            await File.WriteAllTextAsync(file, authority.ExportCertificatePem(), cancellationToken).ConfigureAwait(false);
            // "C,," : a trusted CA for TLS servers; nothing for e-mail or code signing.
            await RunAsync(certutil, ["-d", database, "-A", "-t", "C,,", "-n", $"wsdoctor-ca-{index}", "-i", file], cancellationToken).ConfigureAwait(false);
            index++;
        }
    }

    private static string? FindCertutil() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "certutil"))
            .FirstOrDefault(File.Exists);

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"certutil {string.Join(' ', arguments.Take(3))} failed: {(await stderr.ConfigureAwait(false)).Trim()} {(await stdout.ConfigureAwait(false)).Trim()}".Trim());
        }
    }

    public void Dispose()
    {
        // The browser may still be writing its last files for a moment after it was killed.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
