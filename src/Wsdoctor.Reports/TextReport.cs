using System.Globalization;
using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary>The human report of <c>wsdoctor check</c>: the verdict line first, then one line per layer with a
/// timing waterfall, then each finding with its evidence and fix.</summary>
public static class TextReport
{
    private const int BarWidth = 24;

    public static void Render(CheckReport report, IAnsiConsole console, bool verbose, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        var zh = language == UiLanguage.SimplifiedChinese;
        console.MarkupLine(VerdictLine(report, language));
        console.WriteLine();
        var via = report.Connection.RemoteEndpoint is { } ep ? $" [grey]({(zh ? "经由" : "via")} {Esc(ep)})[/]" : "";
        console.MarkupLine($"  [grey]{(zh ? "目标    " : "target  ")}[/] {Esc(report.Target)}{via}");
        RenderLayers(report, console, language);
        RenderTimings(report, console, language);
        RenderBrowsers(report, console, language);
        if (verbose)
        {
            RenderHeads(report, console, language);
        }

        foreach (var finding in report.Findings)
        {
            console.WriteLine();
            RenderFinding(finding, console, finding == report.RootCause, language);
        }
    }

    public static string VerdictLine(CheckReport report, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(report);
        var headline = report.Headline;
        var warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        var more = language == UiLanguage.SimplifiedChinese ? $"另有 {warnings - 1} 项" : $"+{warnings - 1} more";
        return report.Verdict switch
        {
            Verdict.Fail => $"[bold red]FAIL[/] [bold]{Esc(headline!.Code)}[/] — {Esc(headline.Message.In(language))}",
            Verdict.Warn => $"[bold yellow]WARN[/] [bold]{Esc(headline!.Code)}[/] — {Esc(headline.Message.In(language))}" +
                (warnings > 1 ? $" [grey]({more})[/]" : ""),
            _ => language == UiLanguage.SimplifiedChinese
                ? $"[bold green]OK[/] {Esc(report.Target)} — WebSocket 连接成功，ping 在 {Ms(report.Timings.PingRttMs)} 内得到回应，连接正常关闭"
                : $"[bold green]OK[/] {Esc(report.Target)} — WebSocket opens, answers ping in {Ms(report.Timings.PingRttMs)} and closes cleanly",
        };
    }

    private static void RenderLayers(CheckReport report, IAnsiConsole console, string language)
    {
        var total = Math.Max(1, report.Layers.Sum(l => l.DurationMs ?? 0));
        var offset = 0.0;
        foreach (var layer in report.Layers)
        {
            var (mark, colour) = layer.Status switch
            {
                LayerStatus.Passed => ("✓", "green"),
                LayerStatus.Warning => ("!", "yellow"),
                LayerStatus.Failed => ("✗", "red"),
                LayerStatus.Skipped => ("-", "grey"),
                _ => ("·", "grey"),
            };
            var duration = layer.DurationMs is { } ms ? Ms(ms) : "";
            var bar = Bar(offset, layer.DurationMs ?? 0, total);
            offset += layer.DurationMs ?? 0;
            var name = layer.Layer.Name().PadRight(8);
            console.MarkupLine($"  [{colour}]{mark} {name}[/] {duration,9} [{colour}]{bar}[/]  {Esc(layer.Summary.In(language))}");
        }
    }

    private static void RenderTimings(CheckReport report, IAnsiConsole console, string language)
    {
        var zh = language == UiLanguage.SimplifiedChinese;
        var t = report.Timings;
        var parts = new (string Name, double? Ms)[]
        {
            ("dns", t.DnsMs), (zh ? "TCP 连接" : "connect", t.ConnectMs), (zh ? "代理 CONNECT" : "proxy CONNECT", t.ProxyMs), (zh ? "TLS 握手" : "tls", t.TlsMs),
            (zh ? "升级" : "upgrade", t.UpgradeMs), (zh ? "ping 往返" : "ping rtt", t.PingRttMs), (zh ? "首条消息往返" : "first message rtt", t.FirstMessageRttMs),
        }.Where(p => p.Ms is not null).Select(p => $"{p.Name} {Ms(p.Ms)}").Append($"{(zh ? "总计" : "total")} {Ms(report.TotalMs)}");
        console.MarkupLine($"  [grey]{(zh ? "耗时    " : "timing  ")} {Esc(string.Join(" | ", parts))}[/]");
    }

    /// <summary>The real browsers' verdicts beside wsdoctor's, with the reason when they disagree.</summary>
    private static void RenderBrowsers(CheckReport report, IAnsiConsole console, string language)
    {
        if (report.Browsers.Count == 0)
        {
            return;
        }

        var zh = language == UiLanguage.SimplifiedChinese;
        var connects = zh ? "（能连上）" : " (connects)";
        var own = report.RootCause is { } root ? $"FAIL {root.Code}" : report.Verdict == Verdict.Warn ? $"WARN{connects}" : $"OK{connects}";
        var width = Math.Max(8, report.Browsers.Max(b => b.DisplayLabel.In(language).Length));
        console.MarkupLine($"  [grey]{(zh ? "结论    " : "verdicts")}[/] {"wsdoctor".PadRight(width)}  {Esc(own)}");
        foreach (var browser in report.Browsers)
        {
            var colour = browser.Outcome == BrowserOutcome.Opened ? "green" : browser.Outcome == BrowserOutcome.NotRun ? "grey" : "red";
            var agreement = browser.Agrees switch
            {
                true => zh ? " [grey]— 一致[/]" : " [grey]— agrees[/]",
                false => zh ? " [yellow]— 不一致[/]" : " [yellow]— disagrees[/]",
                _ => "",
            };
            console.MarkupLine($"           {Esc(browser.DisplayLabel.In(language).PadRight(width))}  [{colour}]{Esc(browser.OutcomeText.In(language))}[/]{agreement}" + (browser.UsersBrowser ? $" [grey]({Esc(browser.Version)})[/]" : ""));
            if (browser.Agrees == false && browser.Comparison is { } why)
            {
                console.MarkupLine($"           {new string(' ', width)}  [yellow]{(zh ? "原因：" : "why:")}[/] {Esc(why.In(language))}");
            }
        }
    }

    private static void RenderHeads(CheckReport report, IAnsiConsole console, string language)
    {
        var zh = language == UiLanguage.SimplifiedChinese;
        foreach (var (title, head) in new[] { (zh ? "请求" : "request", report.Connection.RequestHead), (zh ? "响应" : "response", report.Connection.ResponseHead) })
        {
            if (head is null)
            {
                continue;
            }

            console.WriteLine();
            console.MarkupLine(zh ? $"  [grey]{title}头[/]" : $"  [grey]{title} head[/]");
            foreach (var line in head.TrimEnd().Split('\n'))
            {
                console.MarkupLine($"    [grey]{Esc(line.TrimEnd('\r'))}[/]");
            }
        }
    }

    /// <summary>check's verdict and root cause, as connect and test print it under a failure of their own.</summary>
    public static void RenderDiagnosis(CheckReport report, IAnsiConsole console, string indent = "", string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(indent + VerdictLine(report, language));
        if (report.RootCause is { } root)
        {
            console.WriteLine();
            RenderFinding(root, console, rootCause: true, language);
        }
        else
        {
            console.MarkupLine(language == UiLanguage.SimplifiedChinese
                ? $"{indent}[yellow]这次检查没有发现故障：问题是暂时的（重启、backlog 已满），或者出在只有这个命令才会做的事情上（-L、--compress、消息交互本身）[/]"
                : $"{indent}[yellow]the check found no failure this time: the problem was transient (a restart, a full backlog), or is in what only this command does (-L, --compress, the conversation itself)[/]");
        }
    }

    public static void RenderFinding(Finding finding, IAnsiConsole console, bool rootCause, string language = UiLanguage.English)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(console);
        var zh = language == UiLanguage.SimplifiedChinese;
        var (mark, colour) = finding.Severity switch
        {
            Severity.Error => ("✗", "red"),
            Severity.Warning => ("!", "yellow"),
            _ => ("i", "blue"),
        };
        var tag = rootCause ? (zh ? " [red]（根本原因）[/]" : " [red](root cause)[/]") : "";
        console.MarkupLine($"[{colour}]{mark} {Esc(finding.Code)}[/]{tag}  {Esc(finding.Message.In(language))}");
        // The labels line up in a terminal: each Chinese character takes two columns.
        var (evidence, fix, more) = zh ? ("证据：   ", "修复：   ", "详见：   ") : ("evidence:", "fix:     ", "more:    ");
        var first = true;
        foreach (var line in finding.Evidence)
        {
            console.MarkupLine($"    [grey]{(first ? evidence : "         ")}[/] {Esc(line.In(language))}");
            first = false;
        }

        first = true;
        foreach (var line in finding.Fix.In(language).Split('\n'))
        {
            console.MarkupLine($"    [grey]{(first ? fix : "         ")}[/] {Esc(line)}");
            first = false;
        }

        var explain = zh ? $"wsdoctor explain {finding.Code} --lang zh-CN" : $"wsdoctor explain {finding.Code}";
        console.MarkupLine($"    [grey]{more} {Esc(explain)}[/]");
    }

    private static string Bar(double offset, double length, double total)
    {
        if (length <= 0)
        {
            return new string(' ', BarWidth);
        }

        var start = (int)Math.Round(offset / total * BarWidth);
        var width = Math.Max(1, (int)Math.Round(length / total * BarWidth));
        start = Math.Min(start, BarWidth - width);
        return new string(' ', start) + new string('█', width) + new string(' ', BarWidth - start - width);
    }

    public static string Ms(double? ms) => ms switch
    {
        null => "-",
        < 10 => ms.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        < 10_000 => ms.Value.ToString("0", CultureInfo.InvariantCulture) + " ms",
        _ => (ms.Value / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s",
    };

    private static string Esc(string text) => Markup.Escape(text);
}
