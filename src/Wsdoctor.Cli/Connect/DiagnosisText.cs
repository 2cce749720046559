using Spectre.Console;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;

namespace Wsdoctor.Cli.Connect;

/// <summary>The failure explanation connect prints instead of a bare error: check's verdict line and its root
/// cause finding (evidence, fix, `wsdoctor explain CODE`), rendered by the same code as `check`.</summary>
public static class DiagnosisText
{
    public static void Render(string failure, CheckReport report, TextWriter writer, bool colour)
    {
        var console = ConsoleFactory.Create(writer, colour);
        console.MarkupLine($"[red]could not open the WebSocket:[/] {Markup.Escape(failure)}");
        console.MarkupLine("[grey]diagnosis (wsdoctor check with the same options):[/]");
        TextReport.RenderDiagnosis(report, console);

        writer.Flush();
    }
}
