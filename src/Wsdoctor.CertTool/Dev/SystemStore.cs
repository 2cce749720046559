namespace Wsdoctor.CertTool.Dev;

/// <summary>Debian/Ubuntu's system trust store: a CA file under /usr/local/share/ca-certificates (it must end in .crt)
/// and update-ca-certificates, which links it into /etc/ssl/certs and rebuilds ca-certificates.crt, the bundle
/// OpenSSL, curl, Python, Go and .NET on Linux read.
///
/// WSDOCTOR_TEST_CA_STORE_ROOT, for tests only: every path of the store lives under that directory instead
/// (update-ca-certificates is run with --certsconf/--certsdir/--localcertsdir/--etccertsdir/--hooksdir pointing there),
/// so a test exercises the real tool without touching the machine's store.</summary>
public sealed record SystemStore(string Root)
{
    public const string TestRootVariable = "WSDOCTOR_TEST_CA_STORE_ROOT";

    public bool IsTestRoot => Root != "/";

    public string LocalDirectory => Under("usr/local/share/ca-certificates");

    public string Bundle => Under("etc/ssl/certs/ca-certificates.crt");

    public static SystemStore Current() =>
        Environment.GetEnvironmentVariable(TestRootVariable) is { Length: > 0 } root ? new SystemStore(Path.GetFullPath(root)) : new SystemStore("/");

    /// <summary>Root, or a test root (which the current user owns).</summary>
    public bool CanWrite => IsTestRoot || Environment.IsPrivilegedProcess;

    public IReadOnlyList<string> UpdateArguments()
    {
        if (!IsTestRoot)
        {
            return [];
        }

        Directory.CreateDirectory(Under("etc/ssl/certs"));
        Directory.CreateDirectory(Under("usr/share/ca-certificates"));
        Directory.CreateDirectory(Under("etc/ca-certificates/update.d"));
        if (!File.Exists(Under("etc/ca-certificates.conf")))
        {
            File.WriteAllText(Under("etc/ca-certificates.conf"), "");
        }

        return ["--fresh", "--certsconf", Under("etc/ca-certificates.conf"), "--certsdir", Under("usr/share/ca-certificates"),
                "--localcertsdir", LocalDirectory, "--etccertsdir", Under("etc/ssl/certs"), "--hooksdir", Under("etc/ca-certificates/update.d")];
    }

    private string Under(string relative) => Path.Combine(Root, relative);
}
