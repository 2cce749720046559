using System.CommandLine;
using Wsdoctor.Conform.Cases;

namespace Wsdoctor.Cli.Conform;

/// <summary>The options <c>conform server</c> and <c>conform client</c> share.</summary>
internal sealed class ConformOptions
{
    public Option<string[]> Cases { get; } = new("--cases") { Description = "Case patterns to run, as Autobahn's config: 1.*,6.4.*,7.7.1 (default: all)", Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> Exclude { get; } = new("--exclude") { Description = "Case patterns to leave out, e.g. 9.*,12.*,13.*", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> ReportDir { get; } = new("--report-dir") { Description = "Where index.html, index.json and the per-case JSON files go" };

    public Option<bool> Strict { get; } = new("--strict") { Description = "Exit 1 for NON-STRICT cases too (default: only FAILED)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cases, Exclude, ReportDir, Strict })
        {
            command.Options.Add(option);
        }
    }

    public IReadOnlyList<ConformCase> Select(ParseResult result, bool testingServer)
    {
        try
        {
            return CaseTable.Select(CaseTable.For(testingServer), result.GetValue(Cases) ?? [], result.GetValue(Exclude) ?? []) is { Count: > 0 } selected
                ? selected
                : throw new UsageException("--cases/--exclude leave no case to run");
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--cases/--exclude: {ex.Message}");
        }
    }

    public static string AgentName(string? agent, string fallback)
    {
        var name = string.IsNullOrWhiteSpace(agent) ? fallback : agent.Trim();
        if (name.Length > 100 || name.Any(char.IsControl))
        {
            throw new UsageException($"--agent: '{name}' is not a usable agent name (printable, at most 100 characters)");
        }

        return name;
    }
}
