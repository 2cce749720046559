using Spectre.Console;
using Wsdoctor.Reports;

namespace Wsdoctor.Cli;

/// <summary>The consoles the commands write to: coloured on a terminal, plain when redirected or NO_COLOR is set.</summary>
public static class Terminal
{
    public static IAnsiConsole Stdout() =>
        ConsoleFactory.Create(Console.Out, ConsoleFactory.ColourWanted(Console.IsOutputRedirected));
}
