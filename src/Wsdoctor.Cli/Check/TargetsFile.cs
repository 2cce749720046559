using System.CommandLine;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Check;

/// <summary>A <c>check --targets FILE</c> file: one target per line, a URL and optional check options
/// (<c>wss://a/ws --origin https://x -H "Authorization: Bearer …"</c>); blank lines and lines starting with # are
/// ignored. Each line is parsed by a check command of its own with the same options as <c>check URL</c>; options
/// given on the command line apply to every line that does not set them itself.</summary>
public static class TargetsFile
{
    /// <summary>The most targets one file may hold: every target costs connections and memory.</summary>
    public const int MaxTargets = 10_000;

    /// <summary>Options of the run as a whole, refused on a line with a clearer word than "unknown".</summary>
    private static readonly string[] RunOptions = ["--targets", "--parallel", "--format", "--json", "--output", "--verbose", "-v"];

    public static IReadOnlyList<(string Source, CheckRequest Request)> Load(string path, IReadOnlyList<(string Name, IReadOnlyList<string> Words)> inherited)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException(T($"cannot read --targets {path}: {ex.Message}", $"无法读取 --targets {path}：{ex.Message}"));
        }

        var targets = new List<(string, CheckRequest)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var source = $"{path}:{i + 1}";
            if (targets.Count == MaxTargets)
            {
                throw new UsageException(T($"{source}: more than {MaxTargets} targets in one file", $"{source}：一个文件中的目标超过了 {MaxTargets} 个"));
            }

            targets.Add((source, Parse(source, text, inherited)));
        }

        return targets.Count == 0 ? throw new UsageException(T($"{path}: no targets (one URL per line; # starts a comment)", $"{path}：没有任何目标（每行一个 URL；# 开头为注释）")) : targets;
    }

    private static CheckRequest Parse(string source, string text, IReadOnlyList<(string Name, IReadOnlyList<string> Words)> inherited)
    {
        var words = CommandWords.Split(text, out var error) ?? throw new UsageException(T($"{source}: {error!}", $"{source}：{error!}"));
        if (words.FirstOrDefault(w => RunOptions.Contains(w.Split('=')[0], StringComparer.Ordinal)) is { } runOption)
        {
            throw new UsageException(T($"{source}: {runOption} applies to the whole run; give it on the command line, not on a line", $"{source}：{runOption} 作用于整次运行；请在命令行上给出，不要写在某一行里"));
        }

        var (options, lineResult) = ParseWords(source, words);
        // What the command line set applies unless the line sets the same option.
        var extra = inherited.Where(g => lineResult.GetResult(options.Options.First(o => o.Name == g.Name)) is null or { Implicit: true }).SelectMany(g => g.Words).ToArray();
        if (extra.Length > 0)
        {
            (options, lineResult) = ParseWords(source, [.. words, .. extra]);
        }

        try
        {
            return options.Read(lineResult);
        }
        catch (UsageException ex)
        {
            throw new UsageException(T($"{source}: {ex.Text}", $"{source}：{ex.Text}"));
        }
    }

    private static (CheckTargetOptions Options, ParseResult Result) ParseWords(string source, IReadOnlyList<string> words)
    {
        var options = new CheckTargetOptions();
        var command = new Command("check");
        options.AddTo(command);
        var result = command.Parse(words);
        if (result.Errors.Count > 0)
        {
            var unknown = result.UnmatchedTokens.FirstOrDefault();
            // System.CommandLine's own message, as the command line's parse errors are shown (CliHost).
            var message = unknown is null ? Verbatim(result.Errors[0].Message.TrimEnd('.'))
                : unknown.StartsWith('-') ? T($"unknown option '{unknown}'", $"未知的选项“{unknown}”")
                : T($"unexpected word '{unknown}' (one URL per line)", $"多余的词“{unknown}”（每行只能有一个 URL）");
            throw new UsageException(T($"{source}: {message}", $"{source}：{message}"));
        }

        return (options, result);
    }
}
