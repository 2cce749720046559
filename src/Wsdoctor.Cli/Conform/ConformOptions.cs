using System.CommandLine;
using Wsdoctor.Conform.Cases;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Conform;

/// <summary>The options <c>conform server</c> and <c>conform client</c> share.</summary>
internal sealed class ConformOptions
{
    public Option<string[]> Cases { get; } = new("--cases") { Description = H("Case patterns to run, as Autobahn's config: 1.*,6.4.*,7.7.1 (default: all)", "要运行的用例模式，写法同 Autobahn 的配置：1.*,6.4.*,7.7.1（默认：全部）"), Arity = ArgumentArity.ZeroOrMore };

    public Option<string[]> Exclude { get; } = new("--exclude") { Description = H("Case patterns to leave out, e.g. 9.*,12.*,13.*", "要排除的用例模式，例如 9.*,12.*,13.*"), Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> ReportDir { get; } = new("--report-dir") { Description = H("Where index.html, index.json and the per-case JSON files go", "index.html、index.json 和每个用例的 JSON 文件的存放目录") };

    public Option<bool> Strict { get; } = new("--strict") { Description = H("Exit 1 for NON-STRICT cases too (default: only FAILED)", "NON-STRICT 的用例也让退出码为 1（默认：只有 FAILED 才会）") };

    public Option<bool> ShowSecrets { get; } = new("--show-secrets") { Description = H("Keep tokens, cookies and Authorization in the reports' handshakes (redacted by default)", "在报告的握手记录中保留令牌、cookie 和 Authorization（默认脱敏）") };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cases, Exclude, ReportDir, Strict, ShowSecrets })
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
                : throw new UsageException(T("--cases/--exclude leave no case to run", "按 --cases/--exclude 筛选后没有可运行的用例"));
        }
        catch (CasePatternException ex)
        {
            throw new UsageException(T($"--cases/--exclude: {ex.Text}", $"--cases/--exclude：{ex.Text}"));
        }
    }

    public static string AgentName(string? agent, string fallback)
    {
        var name = string.IsNullOrWhiteSpace(agent) ? fallback : agent.Trim();
        if (name.Length > 100 || name.Any(char.IsControl))
        {
            throw new UsageException(T($"--agent: '{name}' is not a usable agent name (printable, at most 100 characters)", $"--agent：“{name}”不能用作 agent 名称（须为可打印字符，最多 100 个字符）"));
        }

        return name;
    }
}
