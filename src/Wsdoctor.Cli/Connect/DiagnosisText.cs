using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Reports;

namespace Wsdoctor.Cli.Connect;

/// <summary>The failure explanation connect prints instead of a bare error: check's verdict line and its root
/// cause finding (evidence, fix, `wsdoctor explain CODE`), rendered by the same code as `check`.</summary>
public static class DiagnosisText
{
    public static void Render(Wsdoctor.Findings.Text failure, CheckReport report, TextWriter writer, bool colour)
    {
        var console = ConsoleFactory.Create(writer, colour);
        var zh = LanguageOption.Current == UiLanguage.SimplifiedChinese;
        console.MarkupLine(zh ? $"[red]无法打开 WebSocket：[/]{Markup.Escape(failure.Zh)}" : $"[red]could not open the WebSocket:[/] {Markup.Escape(failure.En)}");
        console.MarkupLine(zh ? "[grey]诊断（用相同选项运行 wsdoctor check）：[/]" : "[grey]diagnosis (wsdoctor check with the same options):[/]");
        TextReport.RenderDiagnosis(report, console, language: LanguageOption.Current);

        writer.Flush();
    }
}
