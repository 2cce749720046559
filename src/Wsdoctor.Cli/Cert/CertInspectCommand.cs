using System.CommandLine;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Reports.Cert;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert inspect TARGET…</c>.</summary>
public static class CertInspectCommand
{
    public static Command Create()
    {
        var targets = new Argument<string[]>("target") { Description = H("wss://host[:port]/path, host:port, PEM/DER/PKCS#7 files, or a certbot live/NAME/ directory", "wss://host[:port]/path、host:port、PEM/DER/PKCS#7 文件，或 certbot 的 live/NAME/ 目录"), Arity = ArgumentArity.OneOrMore };
        var host = new Option<string?>("--host") { Description = H("Host name the certificate must cover (default: the URL's host; none for files)", "证书必须覆盖的主机名（默认：URL 的主机；文件则不检查）") };
        var connectTo = new Option<string?>("--connect-to") { Description = H("Connect to this address instead, keeping the host for SNI (like curl --connect-to)", "改为连接这个地址，SNI 仍用原主机名（类似 curl --connect-to）") };
        var shared = new CertOptions();
        var command = new Command("inspect", H("Show a chain as served or found, its problems, and which clients accept it", "显示服务端实际发送（或在文件中找到）的证书链、它的问题，以及哪些客户端会接受它")) { targets, host, connectTo };
        shared.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var settings = shared.Read(result) with { Host = result.GetValue(host) };
            var loaded = await CertOptions.GuardAsync(() => CertificateTarget.LoadAsync(result.GetValue(targets) ?? [], result.GetValue(connectTo), settings.Timeout, ct)).ConfigureAwait(false);
            var inspection = await ChainEvaluation.EvaluateAsync(loaded, settings, ct).ConfigureAwait(false);
            if (result.GetValue(shared.Json))
            {
                Console.Out.WriteLine(CertJsonReport.Inspect(inspection));
            }
            else
            {
                CertTextReport.Inspect(inspection, Terminal.Stdout(), LanguageOption.Current);
            }

            return inspection.Failed ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
