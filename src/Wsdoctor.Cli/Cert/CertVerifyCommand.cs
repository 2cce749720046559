using System.CommandLine;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.CertTool.Verification;
using Wsdoctor.Reports.Cert;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert verify FILE… [--key KEY] [--host NAME]…</c>: ready to deploy, or exit 1.</summary>
public static class CertVerifyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = H("The certificate file(s) the server will load (fullchain.pem), or a certbot live/NAME/ directory", "服务端将加载的证书文件（fullchain.pem），或 certbot 的 live/NAME/ 目录"), Arity = ArgumentArity.OneOrMore };
        var key = new Option<string?>("--key") { Description = H("The private key the server will load with it", "服务端将与它一起加载的私钥") };
        var hosts = new Option<string[]>("--host") { Description = H("A host name (or IP) the certificate must cover; repeatable", "证书必须覆盖的主机名（或 IP）；可重复"), AllowMultipleArgumentsPerToken = false };
        var shared = new CertOptions();
        var command = new Command("verify", H("Check a certificate file before deploying it: key, order, completeness, names, validity; print how to load it", "部署前检查证书文件：私钥、顺序、完整性、名称、有效期；并打印加载方法")) { files, key, hosts };
        shared.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var settings = shared.Read(result);
            var targets = result.GetValue(files) ?? [];
            if (targets.Any(LooksRemote))
            {
                throw new UsageException(T("cert verify checks files before they are deployed; for a running server use: wsdoctor cert inspect wss://HOST/", "cert verify 检查的是部署之前的文件；要检查正在运行的服务端，请用：wsdoctor cert inspect wss://HOST/"));
            }

            var loaded = await CertOptions.GuardAsync(() => CertificateTarget.LoadAsync(targets, null, settings.Timeout, ct)).ConfigureAwait(false);
            var deployment = await CertOptions.GuardAsync(() => Deployment.VerifyAsync(loaded, result.GetValue(key), result.GetValue(hosts) ?? [], settings, ct)).ConfigureAwait(false);
            if (result.GetValue(shared.Json))
            {
                Console.Out.WriteLine(CertJsonReport.Verify(deployment));
            }
            else
            {
                CertTextReport.Verify(deployment, Terminal.Stdout(), LanguageOption.Current);
            }

            return deployment.Passed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static bool LooksRemote(string target)
    {
        try
        {
            return CertificateTarget.Remote(target) is not null;
        }
        catch (CertTool.CertInputException)
        {
            return false;
        }
    }
}
