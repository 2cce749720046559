using System.CommandLine;
using System.CommandLine.Completions;
using Spectre.Console;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli;

/// <summary><c>wsdoctor explain CODE</c> and <c>explain --list</c>: the long text of a finding, one command away
/// (the <c>rustc --explain</c> idea).</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var code = new Argument<string?>("code") { Description = "Finding code, e.g. tls.name-mismatch", Arity = ArgumentArity.ZeroOrOne };
        // The shell completion scripts offer these (wsdoctor completion).
        code.CompletionSources.Add(_ => Catalogue.All.Select(e => new CompletionItem(e.Code, detail: e.Title)));
        var list = new Option<bool>("--list") { Description = "List every finding code" };
        var command = new Command("explain", "Explain a finding: why it happens, how to confirm it by hand, how to fix it") { code, list };
        command.SetAction(result =>
        {
            var console = Terminal.Stdout();
            if (result.GetValue(list))
            {
                List(console);
                return ExitCodes.Ok;
            }

            var requested = result.GetValue(code)?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(requested))
            {
                throw new UsageException("explain needs a finding code (see: wsdoctor explain --list)");
            }

            if (!Catalogue.TryGet(requested, out _) || Explanations.Get(requested) is not { } text)
            {
                var suggestion = Suggest(requested);
                throw new UsageException($"unknown finding code '{requested}'{(suggestion is null ? "" : $"; did you mean {suggestion}?")} (see: wsdoctor explain --list)");
            }

            Render(text, console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void List(IAnsiConsole console)
    {
        foreach (var group in Catalogue.All.GroupBy(e => e.Layer))
        {
            console.MarkupLine($"[bold]{group.Key.Name()}[/]");
            foreach (var entry in group)
            {
                var severity = entry.Severity.Name();
                console.MarkupLine($"  {Markup.Escape(entry.Code),-36} {entry.Milestone}  {severity,-7}  {Markup.Escape(entry.Title)}");
            }
        }

        console.MarkupLine($"[grey]{Catalogue.All.Count} codes. wsdoctor explain CODE prints one in full.[/]");
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
