using System.CommandLine;
using Wsdoctor.Certificates;
using Wsdoctor.CertTool.Dev;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert dev [NAME…] [--install | --uninstall]</c>: what mkcert does, with the CA that
/// <c>serve --tls-dev</c> uses.</summary>
public static class CertDevCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("name") { Description = "Host names, wildcards (*.app.test) and IP addresses for the leaf (default: localhost 127.0.0.1 ::1)", Arity = ArgumentArity.ZeroOrMore };
        var install = new Option<bool>("--install") { Description = "Trust the dev CA: system store (root needed), Chromium's ~/.pki/nssdb, Firefox profiles" };
        var uninstall = new Option<bool>("--uninstall") { Description = "Remove exactly what --install added" };
        var dir = new Option<string?>("--dir") { Description = "The dev CA directory (default $XDG_DATA_HOME/wsdoctor/dev-tls, shared with serve --tls-dev)" };
        var outDir = new Option<string?>("--out-dir") { Description = "Where to write NAME+N.pem and NAME+N-key.pem (default: the current directory)" };
        var command = new Command("dev", "Create a local development CA and certificates, and trust the CA (like mkcert)") { names, install, uninstall, dir, outDir };
        command.SetAction(async (result, ct) =>
        {
            var installing = result.GetValue(install);
            var uninstalling = result.GetValue(uninstall);
            if (installing && uninstalling)
            {
                throw new UsageException("--install and --uninstall exclude each other");
            }

            var requested = result.GetValue(names) ?? [];
            var directory = Path.GetFullPath(result.GetValue(dir) ?? DevAuthority.DefaultDirectory());
            var now = DateTimeOffset.UtcNow;
            using var ca = DevAuthority.OpenOrCreate(directory, now);
            Console.Out.WriteLine(ca.Created ? $"created the dev CA {ca.CaPath} ('{ca.Authority.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}'; key {Path.Combine(directory, DevAuthority.CaKeyFile)}, owner-only)" : $"using the dev CA {ca.CaPath}");
            if (uninstalling)
            {
                var outcome = await CertOptions.GuardAsync(() => TrustInstaller.UninstallAsync(ca, ct)).ConfigureAwait(false);
                Report(outcome);
                return outcome.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            }

            var exit = ExitCodes.Ok;
            if (installing)
            {
                var outcome = await CertOptions.GuardAsync(() => TrustInstaller.InstallAsync(ca, ct)).ConfigureAwait(false);
                Report(outcome);
                Console.Out.WriteLine("for programs that do not read those stores:");
                foreach (var line in TrustInstaller.EnvironmentLines(ca.CaPath))
                {
                    Console.Out.WriteLine("  " + line);
                }

                exit = outcome.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
            }

            if (requested.Length > 0 || !installing)
            {
                var hosts = requested.Length > 0 ? requested : DevLeaf.DefaultNames;
                var written = CertOptions.Guard(() => DevLeaf.Issue(ca, hosts, Path.GetFullPath(result.GetValue(outDir) ?? "."), now));
                using (written.Leaf)
                {
                    Console.Out.WriteLine($"issued a certificate for {string.Join(", ", hosts)} (valid until {written.Leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}):");
                    Console.Out.WriteLine($"  certificate: {written.CertificateFile}");
                    Console.Out.WriteLine($"  key:         {written.KeyFile}");
                    Console.Out.WriteLine($"  wsdoctor serve --tls-cert {written.CertificateFile} --tls-key {written.KeyFile}");
                    if (!installing)
                    {
                        Console.Out.WriteLine("no trust store was changed; clients must trust the CA (wsdoctor cert dev --install, or --ca " + ca.CaPath + ")");
                    }
                }
            }

            return exit;
        });
        return command;
    }

    private static void Report(TrustInstaller.Outcome outcome)
    {
        foreach (var line in outcome.Changed)
        {
            Console.Out.WriteLine("changed: " + line);
        }

        foreach (var line in outcome.Skipped)
        {
            Console.Out.WriteLine("unchanged: " + line);
        }

        foreach (var line in outcome.Problems)
        {
            Console.Error.WriteLine("wsdoctor: " + line);
        }
    }
}
