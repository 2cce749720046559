using Spectre.Console;

namespace Wsdoctor.Reports;

/// <summary>One console for all text output: colours on a terminal, plain text when redirected or when NO_COLOR is set
/// (https://no-color.org), so pipes and CI logs get no escape codes.</summary>
public static class ConsoleFactory
{
    public static IAnsiConsole Create(TextWriter writer, bool colour)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });

        // Redirected output has no width: Spectre would assume 80 columns and hard-wrap long evidence and fix
        // lines; a pipe or a log should get each line whole.
        if (!colour || Console.IsOutputRedirected)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    public static bool ColourWanted(bool outputRedirected) =>
        !outputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";
}
