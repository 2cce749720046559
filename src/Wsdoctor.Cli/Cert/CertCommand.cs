using System.CommandLine;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli.Cert;

/// <summary><c>wsdoctor cert inspect|verify|chain|dev</c>: every certificate question in one tool, offline or against a
/// live server (logic in src/Wsdoctor.CertTool).</summary>
public static class CertCommand
{
    public static Command Create()
    {
        var command = new Command("cert", H("Inspect, verify, complete and create certificates (the fixes for the tls.* findings)", "查看、验证、补全和创建证书（用来修复 tls.* 诊断结果）"));
        command.Subcommands.Add(CertInspectCommand.Create());
        command.Subcommands.Add(CertVerifyCommand.Create());
        command.Subcommands.Add(CertChainCommand.Create());
        command.Subcommands.Add(CertDevCommand.Create());
        return command;
    }
}
