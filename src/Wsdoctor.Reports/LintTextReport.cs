using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Lint;
using Wsdoctor.Lint.Nginx;
using static Wsdoctor.Findings.Text;
using Text = Wsdoctor.Findings.Text;

namespace Wsdoctor.Reports;

/// <summary>The human report of <c>wsdoctor lint</c>, shaped like a compiler's: one line per finding
/// (<c>path:line:col: severity code: message</c>), then the directive, the evidence, the fix and the corrected block,
/// then notes and a summary line.</summary>
public static class LintTextReport
{
    private const string Pad = "               ";

    public static void Render(LintReport report, IAnsiConsole console, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        var zh = language == UiLanguage.SimplifiedChinese;
        // The labels line up in a terminal: each Chinese character takes two columns.
        var (directive, evidence, fix, more, colon, note) = zh
            ? ("指令：    ", "证据：    ", "修复：    ", "详见：     ", "：", "[grey]附注：[/]")
            : ("directive:", "evidence: ", "fix:      ", "more:      ", ": ", "[grey]note:[/] ");
        foreach (var item in report.Findings)
        {
            var f = item.Finding;
            var colour = f.Severity switch
            {
                Severity.Error => "red",
                Severity.Warning => "yellow",
                _ => "blue",
            };
            console.MarkupLine($"[bold]{Esc(item.Location.ToString())}:[/] [{colour}]{Localized.SeverityLabel(f.Severity, language)} {Esc(f.Code)}[/]{colon}{Esc(f.Message.In(language))}");
            console.MarkupLine($"    [grey]{directive}[/] {Esc(item.Directive)}");
            Lines(console, evidence, f.Evidence.Select(e => e.In(language)));
            Lines(console, fix, f.Fix.In(language).Split('\n'));
            if (item.FixBlock is { } block)
            {
                foreach (var line in block.In(language).Split('\n'))
                {
                    console.MarkupLine($"{Pad}[cyan]{Esc(line)}[/]");
                }
            }

            var explain = zh ? $"wsdoctor explain {f.Code} --lang zh-CN" : $"wsdoctor explain {f.Code}";
            console.MarkupLine($"    [grey]{more}{Esc(explain)}[/]");
            console.WriteLine();
        }

        foreach (var n in report.Notes)
        {
            console.MarkupLine($"[bold]{Esc(n.Location.ToString())}:[/] {note}{Esc(n.Message.In(language))}");
        }

        console.MarkupLine(Summary(report, language));
    }

    public static string Summary(LintReport report, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (errors, warnings, info) = (report.Count(Severity.Error), report.Count(Severity.Warning), report.Count(Severity.Info));
        var counts = T(
            $"{Plural(errors, "error")}, {Plural(warnings, "warning")}, {info} info",
            $"{errors} 个错误，{warnings} 个警告，{info} 条信息");
        var context = new List<Text> { T(Plural(report.Files.Count, "file"), $"{report.Files.Count} 个文件") };
        if (report.Assumptions.TryGetValue("nginxVersion", out var version))
        {
            var named = NginxVersion.NamedAfter($"{version}");
            var source = NginxVersion.SourceTextOf($"{report.Assumptions["nginxVersionSource"]}");
            context.Add(T($"{named} ({source})", $"{named}（{source}）"));
        }

        if (report.Assumptions.TryGetValue("webSocketLocations", out var ws) && ws is Array locations)
        {
            context.Add(T(Plural(locations.Length, "WebSocket location"), $"{locations.Length} 个 WebSocket location"));
        }

        if (report.Assumptions.TryGetValue("heartbeatSeconds", out var beat) && beat is double seconds)
        {
            var every = DurationFormat.Format(TimeSpan.FromSeconds(seconds));
            context.Add(T($"heartbeat {every}", $"心跳 {every}"));
        }

        var colour = report.HasErrors ? "red" : report.Findings.Count > 0 ? "yellow" : "green";
        var line = T($"lint {report.Program}: ", $"lint {report.Program}：") + counts;
        var around = Text.Join(T("; ", "；"), context);
        return language == UiLanguage.SimplifiedChinese
            ? $"[{colour}]{Esc(line.Zh)}[/][grey]（{Esc(around.Zh)}）[/]"
            : $"[{colour}]{Esc(line.En)}[/] [grey]({Esc(around.En)})[/]";
    }

    /// <param name="title">The label, padded to 10 terminal columns.</param>
    private static void Lines(IAnsiConsole console, string title, IEnumerable<string> lines)
    {
        var first = true;
        foreach (var line in lines)
        {
            console.MarkupLine($"    [grey]{(first ? title : "          ")}[/] {Esc(line)}");
            first = false;
        }
    }

    private static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";

    private static string Esc(string text) => Markup.Escape(text);
}
