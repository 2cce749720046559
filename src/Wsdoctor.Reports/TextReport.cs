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

    public static void Render(CheckReport report, IAnsiConsole console, bool verbose)
    {
        console.MarkupLine(VerdictLine(report));
        console.WriteLine();
        console.MarkupLine($"  [grey]target[/]   {Esc(report.Target)}{(report.Connection.RemoteEndpoint is { } ep ? $" [grey](via {Esc(ep)})[/]" : "")}");
        RenderLayers(report, console);
        RenderTimings(report, console);
        RenderBrowsers(report, console);
        if (verbose)
        {
            RenderHeads(report, console);
        }

        foreach (var finding in report.Findings)
        {
            console.WriteLine();
            RenderFinding(finding, console, finding == report.RootCause);
        }
    }

    public static string VerdictLine(CheckReport report)
    {
        var headline = report.Headline;
        return report.Verdict switch
        {
            Verdict.Fail => $"[bold red]FAIL[/] [bold]{Esc(headline!.Code)}[/] — {Esc(headline.Message)}",
            Verdict.Warn => $"[bold yellow]WARN[/] [bold]{Esc(headline!.Code)}[/] — {Esc(headline.Message)}" +
                (report.Findings.Count(f => f.Severity == Severity.Warning) > 1 ? $" [grey](+{report.Findings.Count(f => f.Severity == Severity.Warning) - 1} more)[/]" : ""),
            _ => $"[bold green]OK[/] {Esc(report.Target)} — WebSocket opens, answers ping in {Ms(report.Timings.PingRttMs)} and closes cleanly",
        };
    }

    private static void RenderLayers(CheckReport report, IAnsiConsole console)
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
            console.MarkupLine($"  [{colour}]{mark} {name}[/] {duration,9} [{colour}]{bar}[/]  {Esc(layer.Summary)}");
        }
    }

    private static void RenderTimings(CheckReport report, IAnsiConsole console)
    {
        var t = report.Timings;
        var parts = new (string Name, double? Ms)[]
        {
            ("dns", t.DnsMs), ("connect", t.ConnectMs), ("proxy CONNECT", t.ProxyMs), ("tls", t.TlsMs), ("upgrade", t.UpgradeMs), ("ping rtt", t.PingRttMs), ("first message rtt", t.FirstMessageRttMs),
        }.Where(p => p.Ms is not null).Select(p => $"{p.Name} {Ms(p.Ms)}").Append($"total {Ms(report.TotalMs)}");
        console.MarkupLine($"  [grey]timing   {Esc(string.Join(" | ", parts))}[/]");
    }

    /// <summary>The real browsers' verdicts beside wsdoctor's, with the reason when they disagree.</summary>
    private static void RenderBrowsers(CheckReport report, IAnsiConsole console)
    {
        if (report.Browsers.Count == 0)
        {
            return;
        }

        var own = report.RootCause is { } root ? $"FAIL {root.Code}" : report.Verdict == Verdict.Warn ? "WARN (connects)" : "OK (connects)";
        var width = Math.Max(8, report.Browsers.Max(b => b.DisplayName.Length));
        console.MarkupLine($"  [grey]verdicts[/] {"wsdoctor".PadRight(width)}  {Esc(own)}");
        foreach (var browser in report.Browsers)
        {
            var colour = browser.Outcome == BrowserOutcome.Opened ? "green" : browser.Outcome == BrowserOutcome.NotRun ? "grey" : "red";
            var agreement = browser.Agrees switch
            {
                true => " [grey]— agrees[/]",
                false => " [yellow]— disagrees[/]",
                _ => "",
            };
            console.MarkupLine($"           {Esc(browser.DisplayName.PadRight(width))}  [{colour}]{Esc(browser.OutcomeText)}[/]{agreement}" + (browser.UsersBrowser ? $" [grey]({Esc(browser.Version)})[/]" : ""));
            if (browser.Agrees == false && browser.Comparison is { } why)
            {
                console.MarkupLine($"           {new string(' ', width)}  [yellow]why:[/] {Esc(why)}");
            }
        }
    }

    private static void RenderHeads(CheckReport report, IAnsiConsole console)
    {
        foreach (var (title, head) in new[] { ("request", report.Connection.RequestHead), ("response", report.Connection.ResponseHead) })
        {
            if (head is null)
            {
                continue;
            }

            console.WriteLine();
            console.MarkupLine($"  [grey]{title} head[/]");
            foreach (var line in head.TrimEnd().Split('\n'))
            {
                console.MarkupLine($"    [grey]{Esc(line.TrimEnd('\r'))}[/]");
            }
        }
    }

    /// <summary>check's verdict and root cause, as connect and test print it under a failure of their own.</summary>
    public static void RenderDiagnosis(CheckReport report, IAnsiConsole console, string indent = "")
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine(indent + VerdictLine(report));
        if (report.RootCause is { } root)
        {
            console.WriteLine();
            RenderFinding(root, console, rootCause: true);
        }
        else
        {
            console.MarkupLine($"{indent}[yellow]the check found no failure this time: the problem was transient (a restart, a full backlog), or is in what only this command does (-L, --compress, the conversation itself)[/]");
        }
    }

    public static void RenderFinding(Finding finding, IAnsiConsole console, bool rootCause)
    {
        var (mark, colour) = finding.Severity switch
        {
            Severity.Error => ("✗", "red"),
            Severity.Warning => ("!", "yellow"),
            _ => ("i", "blue"),
        };
        var tag = rootCause ? " [red](root cause)[/]" : "";
        console.MarkupLine($"[{colour}]{mark} {Esc(finding.Code)}[/]{tag}  {Esc(finding.Message)}");
        var first = true;
        foreach (var line in finding.Evidence)
        {
            console.MarkupLine($"    [grey]{(first ? "evidence:" : "         ")}[/] {Esc(line)}");
            first = false;
        }

        first = true;
        foreach (var line in finding.Fix.Split('\n'))
        {
            console.MarkupLine($"    [grey]{(first ? "fix:     " : "         ")}[/] {Esc(line)}");
            first = false;
        }

        console.MarkupLine($"    [grey]more:     wsdoctor explain {Esc(finding.Code)}[/]");
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
