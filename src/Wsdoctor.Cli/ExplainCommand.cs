using System.CommandLine;
using System.CommandLine.Completions;
using Spectre.Console;
using Wsdoctor.Findings;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor explain CODE</c> and <c>explain --list</c>: the long text of a finding, one command away
/// (the <c>rustc --explain</c> idea).</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var code = new Argument<string?>("code") { HelpName = "code", Description = H("Finding code, e.g. tls.name-mismatch", "诊断结果代码，例如 tls.name-mismatch"), Arity = ArgumentArity.ZeroOrOne };
        // The shell completion scripts offer these (wsdoctor completion).
        code.CompletionSources.Add(_ => Catalogue.All.Select(e => new CompletionItem(e.Code, detail: e.Title)));
        var list = new Option<bool>("--list") { Description = H("List every finding code", "列出所有诊断结果代码") };
        var command = new Command("explain", H("Explain a finding: why it happens, how to confirm it by hand, how to fix it", "解释一条诊断结果：为什么会出现、怎样手动确认、怎样修复")) { code, list };
        command.SetAction(result =>
        {
            var language = LanguageOption.Resolve(result);
            var console = Terminal.Stdout();
            if (result.GetValue(list))
            {
                List(console, language);
                return ExitCodes.Ok;
            }

            var requested = result.GetValue(code)?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(requested))
            {
                throw new UsageException(T("explain needs a finding code (see: wsdoctor explain --list)", "explain 需要一个诊断结果代码（参见：wsdoctor explain --list）"));
            }

            if (!Catalogue.TryGet(requested, out _) || Explanations.Get(requested) is not { } text)
            {
                var suggestion = Suggest(requested);
                var hint = suggestion is null ? Findings.Text.Empty : T($"; did you mean {suggestion}?", $"；你要找的是不是 {suggestion}？");
                throw new UsageException(T($"unknown finding code '{requested}'{hint} (see: wsdoctor explain --list)", $"未知的诊断结果代码“{requested}”{hint}（参见：wsdoctor explain --list）"));
            }

            var entry = Catalogue.Get(requested);
            if (language != UiLanguage.English && Explanations.Get(requested, language) is { } translated)
            {
                text = translated;
            }
            else if (language != UiLanguage.English)
            {
                console.MarkupLine("[grey]（这个诊断结果还没有中文说明，以下是英文原文。）[/]");
            }

            Render(text, console);
            if (language == UiLanguage.SimplifiedChinese)
            {
                // The catalogue's labels under the page: layer, severity and the short fix, in Chinese.
                console.MarkupLine("");
                console.MarkupLine($"[bold]层：[/]{Markup.Escape(Localized.LayerLabel(entry.Layer, language))}"
                                   + $"    [bold]严重程度：[/]{Markup.Escape(Localized.SeverityLabel(entry.Severity, language))}");
                console.MarkupLine($"[bold]修复方法：[/]{Markup.Escape(Localized.Fix(entry, language))}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }


    private static void List(IAnsiConsole console, string language)
    {
        foreach (var group in Catalogue.All.GroupBy(e => e.Layer))
        {
            console.MarkupLine($"[bold]{Markup.Escape(Localized.LayerLabel(group.Key, language))}[/]");
            foreach (var entry in group)
            {
                // Chinese labels are two double-width characters: pad them to the same 7 columns.
                var severity = Localized.SeverityLabel(entry.Severity, language)
                    .PadRight(language == UiLanguage.SimplifiedChinese ? 5 : 7);
                var title = Localized.Title(entry, language);
                console.MarkupLine($"  {Markup.Escape(entry.Code),-36} {entry.Milestone}  {severity}  {Markup.Escape(title)}");
            }
        }

        console.MarkupLine(language == UiLanguage.SimplifiedChinese
            ? $"[grey]共 {Catalogue.All.Count} 个诊断代码。wsdoctor explain CODE 可查看完整说明。[/]"
            : $"[grey]{Catalogue.All.Count} codes. wsdoctor explain CODE prints one in full.[/]");
    }

    private static void Render(string markdown, IAnsiConsole console)
    {
        var inCode = false;
        foreach (var raw in markdown.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            var line = Markup.Escape(raw);
            if (inCode)
            {
                console.MarkupLine($"    [cyan]{line}[/]");
            }
            else if (raw.StartsWith('#'))
            {
                console.MarkupLine($"[bold]{Markup.Escape(raw.TrimStart('#').Trim())}[/]");
            }
            else
            {
                console.MarkupLine(line);
            }
        }
    }

    /// <summary>The closest code by edit distance, or one that starts the same way.</summary>
    public static string? Suggest(string input)
    {
        var best = Catalogue.All
            .Select(e => (e.Code, Distance: Levenshtein(input, e.Code)))
            .OrderBy(x => x.Distance)
            .First();
        if (best.Distance <= Math.Max(2, input.Length / 3))
        {
            return best.Code;
        }

        return Catalogue.All.FirstOrDefault(e => e.Code.Contains(input, StringComparison.Ordinal))?.Code;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
