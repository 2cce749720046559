using System.CommandLine;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform server|client|cases</c>: the RFC 6455 / 7692 conformance suite (docs/conform-cases.md).</summary>
public static class ConformCommand
{
    public static Command Create()
    {
        var command = new Command("conform", H("Conformance suite for WebSocket servers and clients (Autobahn-compatible cases, grades and reports)", "WebSocket 服务端和客户端的一致性测试套件（与 Autobahn 兼容的用例、评级和报告）"));
        command.Subcommands.Add(ConformServerCommand.Create());
        command.Subcommands.Add(ConformClientCommand.Create());
        command.Subcommands.Add(ConformCasesCommand.Create());
        return command;
    }
}
