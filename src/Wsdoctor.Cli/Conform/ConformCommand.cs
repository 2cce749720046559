using System.CommandLine;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform server|client|cases</c>: the RFC 6455 / 7692 conformance suite (docs/conform-cases.md).</summary>
public static class ConformCommand
{
    public static Command Create()
    {
        var command = new Command("conform", "Conformance suite for WebSocket servers and clients (Autobahn-compatible cases, grades and reports)");
        command.Subcommands.Add(ConformServerCommand.Create());
        command.Subcommands.Add(ConformClientCommand.Create());
        command.Subcommands.Add(ConformCasesCommand.Create());
        return command;
    }
}
