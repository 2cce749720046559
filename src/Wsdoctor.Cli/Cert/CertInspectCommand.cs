using System.CommandLine;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Loading;
using Wsdoctor.Reports.Cert;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert inspect TARGET…</c>.</summary>
public static class CertInspectCommand
{
    public static Command Create()
    {
        var targets = new Argument<string[]>("target") { Description = "wss://host[:port]/path, host:port, PEM/DER/PKCS#7 files, or a certbot live/NAME/ directory", Arity = ArgumentArity.OneOrMore };
        var host = new Option<string?>("--host") { Description = "Host name the certificate must cover (default: the URL's host; none for files)" };
        var connectTo = new Option<string?>("--connect-to") { Description = "Connect to this address instead, keeping the host for SNI (like curl --connect-to)" };
        var shared = new CertOptions();
        var command = new Command("inspect", "Show a chain as served or found, its problems, and which clients accept it") { targets, host, connectTo };
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
