using Wsdoctor.TestPeers;

namespace Wsdoctor.Security.Tests;

/// <summary>The private keys wsdoctor writes (<c>cert dev</c>, <c>serve --tls-dev</c>) are the owner's only: files 0600,
/// the directories made for them 0700, a key left readable by an older version is tightened, and a symlink planted
/// where a key is about to be written is replaced, never written through.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyFileModeTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task CertDev_WritesKeys0600InDirectories0700()
    {
        using var dir = new TempDirectory();
        var ca = Path.Combine(dir.Path, "ca");
        var output = Path.Combine(dir.Path, "new", "certs");

        var run = await WsdoctorProcess.RunAsync(["cert", "dev", "app.test", "--dir", ca, "--out-dir", output]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(ca));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(ca, "ca-key.pem")));
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(output));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(output, "app.test-key.pem")));
    }

    [Fact]
    public async Task CertDev_SymlinkWhereTheKeyGoes_IsReplacedNotFollowed()
    {
        using var dir = new TempDirectory();
        var victim = Path.Combine(dir.Path, "victim.txt");
        await File.WriteAllTextAsync(victim, "someone else's file\n");
        File.SetUnixFileMode(victim, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var output = Path.Combine(dir.Path, "out");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "app.test-key.pem"), victim);

        var run = await WsdoctorProcess.RunAsync(["cert", "dev", "app.test", "--dir", Path.Combine(dir.Path, "ca"), "--out-dir", output]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("someone else's file\n", await File.ReadAllTextAsync(victim));
        var key = new FileInfo(Path.Combine(output, "app.test-key.pem"));
        Assert.Null(key.LinkTarget);
        Assert.Contains("PRIVATE KEY", await File.ReadAllTextAsync(key.FullName), StringComparison.Ordinal);
        Assert.Equal(OwnerFile, File.GetUnixFileMode(key.FullName));
    }

    [Fact]
    public async Task ServeTlsDev_WritesKeys0600_AndTightensLooseOnes()
    {
        using var dir = new TempDirectory();
        var tls = Path.Combine(dir.Path, "dev-tls");
        await using (var serve = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", tls]))
        {
            Assert.Equal(0, await serve.StopAsync());
        }

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(tls));
        foreach (var key in new[] { "ca-key.pem", "server-key.pem" })
        {
            Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(tls, key)));
            File.SetUnixFileMode(Path.Combine(tls, key), OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.SetUnixFileMode(tls, OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        // The second start reuses the files (nothing is reissued) and takes them back to the owner.
        await using (var serve = await ServeProcess.StartAsync(["--tls-dev", "--tls-dev-dir", tls]))
        {
            Assert.Equal(0, await serve.StopAsync());
        }

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(tls));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(tls, "ca-key.pem")));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(tls, "server-key.pem")));
    }
}
