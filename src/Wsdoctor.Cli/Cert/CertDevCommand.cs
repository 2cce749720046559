using System.CommandLine;
using Wsdoctor.Certificates;
using Wsdoctor.CertTool.Dev;
using Wsdoctor.Reports.Cert;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert dev [NAME…] [--install | --uninstall] [--json]</c>: what mkcert does, with the CA that
/// <c>serve --tls-dev</c> uses.</summary>
public static class CertDevCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("name") { Description = H("Host names, wildcards (*.app.test) and IP addresses for the leaf (default: localhost 127.0.0.1 ::1)", "叶子证书的主机名、通配符（*.app.test）和 IP 地址（默认：localhost 127.0.0.1 ::1）"), Arity = ArgumentArity.ZeroOrMore };
        var install = new Option<bool>("--install") { Description = H("Trust the dev CA: system store (root needed), Chromium's ~/.pki/nssdb, Firefox profiles", "信任开发 CA：系统信任库（需要 root）、Chromium 的 ~/.pki/nssdb、Firefox 配置文件") };
        var uninstall = new Option<bool>("--uninstall") { Description = H("Remove exactly what --install added", "只移除 --install 添加的内容，一点不多") };
        var dir = new Option<string?>("--dir") { Description = H("The dev CA directory (default $XDG_DATA_HOME/wsdoctor/dev-tls, shared with serve --tls-dev)", "开发 CA 的目录（默认 $XDG_DATA_HOME/wsdoctor/dev-tls，与 serve --tls-dev 共用）") };
        var outDir = new Option<string?>("--out-dir") { Description = H("Where to write NAME+N.pem and NAME+N-key.pem (default: the current directory)", "NAME+N.pem 和 NAME+N-key.pem 的写入目录（默认：当前目录）") };
        var json = new Option<bool>("--json") { Description = H("Print what was done as JSON (problems still go to stderr)", "以 JSON 输出做了哪些操作（问题仍输出到 stderr）") };
        var command = new Command("dev", H("Create a local development CA and certificates, and trust the CA (like mkcert)", "创建本地开发 CA 和证书，并信任该 CA（类似 mkcert）")) { names, install, uninstall, dir, outDir, json };
        command.SetAction(async (result, ct) =>
        {
            var installing = result.GetValue(install);
            var uninstalling = result.GetValue(uninstall);
            if (installing && uninstalling)
            {
                throw new UsageException(T("--install and --uninstall exclude each other", "--install 和 --uninstall 不能同时使用"));
            }

            var requested = result.GetValue(names) ?? [];
            if (uninstalling && (requested.Length > 0 || result.GetValue(outDir) is not null))
            {
                throw new UsageException(T("--uninstall only removes the trust --install added: give no names or --out-dir", "--uninstall 只移除 --install 添加的信任：不要给出名称，也不要给出 --out-dir"));
            }

            // With --json the text goes nowhere and one object is printed at the end.
            var asJson = result.GetValue(json);
            var text = asJson ? TextWriter.Null : Console.Out;
            var directory = Path.GetFullPath(result.GetValue(dir) ?? DevAuthority.DefaultDirectory());
            var now = DateTimeOffset.UtcNow;
            var language = LanguageOption.Current;
            using var ca = DevAuthority.OpenOrCreate(directory, now);
            var caName = ca.Authority.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
            var caKey = Path.Combine(directory, DevAuthority.CaKeyFile);
            text.WriteLine((ca.Created
                ? T($"created the dev CA {ca.CaPath} ('{caName}'; key {caKey}, owner-only)", $"已创建开发 CA {ca.CaPath}（“{caName}”；私钥 {caKey}，仅所有者可读）")
                : T($"using the dev CA {ca.CaPath}", $"使用开发 CA {ca.CaPath}")).In(language));
            TrustInstaller.Outcome? outcome = null;
            IReadOnlyList<Findings.Text> environment = [];
            if (uninstalling)
            {
                outcome = await CertOptions.GuardAsync(() => TrustInstaller.UninstallAsync(ca, ct)).ConfigureAwait(false);
                Report(outcome, text, language);
            }
            else if (installing)
            {
                outcome = await CertOptions.GuardAsync(() => TrustInstaller.InstallAsync(ca, ct)).ConfigureAwait(false);
                Report(outcome, text, language);
                environment = TrustInstaller.EnvironmentLines(ca.CaPath);
                text.WriteLine(T("for programs that do not read those stores:", "对于不读取这些信任库的程序：").In(language));
                foreach (var line in environment)
                {
                    text.WriteLine("  " + line.In(language));
                }
            }

            IReadOnlyList<string>? hosts = null;
            DevLeaf.Written? written = null;
            if (!uninstalling && (requested.Length > 0 || !installing))
            {
                hosts = requested.Length > 0 ? requested : DevLeaf.DefaultNames;
                written = CertOptions.Guard(() => DevLeaf.Issue(ca, hosts, Path.GetFullPath(result.GetValue(outDir) ?? "."), now));
            }

            using (written?.Leaf)
            {
                if (written is not null)
                {
                    var leafNames = string.Join(", ", hosts!);
                    var until = written.Leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    text.WriteLine(T($"issued a certificate for {leafNames} (valid until {until}):", $"已为 {leafNames} 签发证书（有效期至 {until}）：").In(language));
                    text.WriteLine(T($"  certificate: {written.CertificateFile}", $"  证书：{written.CertificateFile}").In(language));
                    text.WriteLine(T($"  key:         {written.KeyFile}", $"  私钥：{written.KeyFile}").In(language));
                    text.WriteLine($"  wsdoctor serve --tls-cert {written.CertificateFile} --tls-key {written.KeyFile}");
                    if (!installing)
                    {
                        var installCommand = "wsdoctor cert dev --install";
                        var caOption = $"--ca {ca.CaPath}";
                        text.WriteLine(T($"no trust store was changed; clients must trust the CA ({installCommand}, or {caOption})", $"没有改动任何信任库；客户端必须信任该 CA（{installCommand}，或 {caOption}）").In(language));
                    }
                }

                if (asJson)
                {
                    var action = uninstalling ? "uninstall" : installing ? "install" : "issue";
                    await Console.Out.WriteLineAsync(CertActionJsonReport.Dev(new CertActionJsonReport.DevRun(ca, action, outcome, environment, hosts, written))).ConfigureAwait(false);
                }
            }

            return outcome is null || outcome.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static void Report(TrustInstaller.Outcome outcome, TextWriter text, string language)
    {
        foreach (var line in outcome.Changed)
        {
            text.WriteLine(T($"changed: {line}", $"已更改：{line}").In(language));
        }

        foreach (var line in outcome.Skipped)
        {
            text.WriteLine(T($"unchanged: {line}", $"未更改：{line}").In(language));
        }

        foreach (var line in outcome.Problems)
        {
            Console.Error.WriteLine("wsdoctor: " + line.In(language));
        }
    }
}
