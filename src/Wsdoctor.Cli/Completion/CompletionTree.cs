using System.CommandLine;
using System.CommandLine.Completions;

namespace Wsdoctor.Cli.Completion;

/// <summary>An option as a shell sees it: its spellings, and whether the next word is its value (with the values it
/// accepts, when they are a fixed list).</summary>
public sealed record CompletionOption(IReadOnlyList<string> Names, string Description, bool TakesValue, IReadOnlyList<string> Values);

/// <summary>A word completed in place of an argument (explain's finding codes, completion's shells).</summary>
public sealed record CompletionWord(string Word, string Description);

/// <summary>One command of the tree: <paramref name="Path"/> is the words after <c>wsdoctor</c> ("" for the root,
/// "lint nginx").</summary>
public sealed record CompletionNode(
    string Path,
    IReadOnlyList<(string Name, string Description)> Commands,
    IReadOnlyList<CompletionOption> Options,
    IReadOnlyList<CompletionWord> Arguments);

/// <summary>The real System.CommandLine tree flattened for the completion scripts, so that they offer exactly the
/// commands and options the parser accepts, and the completion sources of the arguments (the catalogue's codes for
/// explain).</summary>
public static class CompletionTree
{
    public static IReadOnlyList<CompletionNode> Flatten(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var nodes = new List<CompletionNode>();
        Walk(root, "", [], nodes);
        return nodes;
    }

    private static void Walk(Command command, string path, IReadOnlyList<Option> inherited, List<CompletionNode> nodes)
    {
        var visible = command.Subcommands.Where(c => !c.Hidden).ToArray();
        var options = command.Options.Concat(inherited).Where(o => !o.Hidden).Distinct().Select(Describe).ToArray();
        var arguments = command.Arguments.Where(a => !a.Hidden)
            .SelectMany(a => a.GetCompletions(CompletionContext.Empty))
            .Select(c => new CompletionWord(c.Label, c.Detail ?? c.Documentation ?? ""))
            .ToArray();
        nodes.Add(new CompletionNode(
            path,
            visible.SelectMany(c => c.Aliases.Prepend(c.Name).Select(n => (n, Line(c.Description)))).ToArray(),
            options,
            arguments));
        var passedOn = inherited.Concat(command.Options.Where(o => o.Recursive)).ToArray();
        foreach (var sub in visible)
        {
            Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}", passedOn, nodes);
        }
    }

    private static CompletionOption Describe(Option option)
    {
        // A bool option is a flag; an optional value (--browser [chromium|firefox|all]) is not taken from the next
        // word either, so the word after it is completed as usual.
        var flag = option.ValueType == typeof(bool) || option.Arity.Equals(ArgumentArity.ZeroOrOne) || option.Arity.MaximumNumberOfValues == 0;
        var values = flag ? [] : option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();
        var names = option.Aliases.Prepend(option.Name).Where(n => n.StartsWith('-')).Distinct().ToArray();
        return new CompletionOption(names, Line(option.Description), !flag, values);
    }

    private static string Line(string? text) => (text ?? "").Split('\n')[0].Trim();
}
