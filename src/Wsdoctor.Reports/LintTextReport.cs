using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Lint;

namespace Wsdoctor.Reports;

/// <summary>The human report of <c>wsdoctor lint</c>, shaped like a compiler's: one line per finding
/// (<c>path:line:col: severity code: message</c>), then the directive, the evidence, the fix and the corrected block,
/// then notes and a summary line.</summary>
public static class LintTextReport
{
    private const string Pad = "               ";

    public static void Render(LintReport report, IAnsiConsole console)
    {
        foreach (var item in report.Findings)
        {
            var f = item.Finding;
            var colour = f.Severity switch
            {
                Severity.Error => "red",
                Severity.Warning => "yellow",
                _ => "blue",
            };
            console.MarkupLine($"[bold]{Esc(item.Location.ToString())}:[/] [{colour}]{f.Severity.Name()} {Esc(f.Code)}[/]: {Esc(f.Message.En)}");
            console.MarkupLine($"    [grey]directive:[/] {Esc(item.Directive)}");
            Lines(console, "evidence:", f.Evidence.Select(e => e.En));
            Lines(console, "fix:", f.Fix.En.Split('\n'));
            if (item.FixBlock is { } block)
            {
                foreach (var line in block.Split('\n'))
                {
                    console.MarkupLine($"{Pad}[cyan]{Esc(line)}[/]");
                }
            }

            console.MarkupLine($"    [grey]more:      wsdoctor explain {Esc(f.Code)}[/]");
            console.WriteLine();
        }

        foreach (var note in report.Notes)
        {
            console.MarkupLine($"[bold]{Esc(note.Location.ToString())}:[/] [grey]note:[/] {Esc(note.Message)}");
        }

        console.MarkupLine(Summary(report));
    }

    public static string Summary(LintReport report)
    {
        var counts = $"{Plural(report.Count(Severity.Error), "error")}, {Plural(report.Count(Severity.Warning), "warning")}, {report.Count(Severity.Info)} info";
        var context = new List<string> { Plural(report.Files.Count, "file") };
        if (report.Assumptions.TryGetValue("nginxVersion", out var version))
        {
            context.Add($"nginx {version} ({report.Assumptions["nginxVersionSource"]})");
        }

        if (report.Assumptions.TryGetValue("webSocketLocations", out var ws) && ws is Array locations)
        {
            context.Add(Plural(locations.Length, "WebSocket location"));
        }

        if (report.Assumptions.TryGetValue("heartbeatSeconds", out var beat) && beat is double seconds)
        {
            context.Add($"heartbeat {DurationFormat.Format(TimeSpan.FromSeconds(seconds))}");
        }

        var colour = report.HasErrors ? "red" : report.Findings.Count > 0 ? "yellow" : "green";
        return $"[{colour}]lint {report.Program}: {counts}[/] [grey]({Esc(string.Join("; ", context))})[/]";
    }

    private static void Lines(IAnsiConsole console, string title, IEnumerable<string> lines)
    {
        var first = true;
        foreach (var line in lines)
        {
            console.MarkupLine($"    [grey]{(first ? title.PadRight(10) : "          ")}[/] {Esc(line)}");
            first = false;
        }
    }

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";

    private static string Esc(string text) => Markup.Escape(text);
}
