using System.CommandLine;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli;

/// <summary>The <c>--format</c> option of a command with several report formats, and <c>--json</c>, kept as the
/// short form of <c>--format json</c>.</summary>
public sealed class ReportFormat
{
    private readonly string[] formats;

    public ReportFormat(string jsonDoc, params string[] formats)
    {
        this.formats = formats;
        Format = new Option<string?>("--format") { Description = H($"Report format: {string.Join(", ", formats)} (default text)", $"报告格式：{string.Join("、", formats)}（默认 text）") };
        // Offered by the completion scripts; checked in Read, where a wrong value is one line (AcceptOnlyFromAmong's
        // message spans several).
        Format.CompletionSources.Add(formats);
        Json = new Option<bool>("--json") { Description = H($"Print the report as JSON ({jsonDoc}); the same as --format json", $"以 JSON 输出报告（{jsonDoc}）；等同于 --format json") };
    }

    public Option<string?> Format { get; }

    public Option<bool> Json { get; }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Format);
        command.Options.Add(Json);
    }

    public string Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var format = result.GetValue(Format);
        if (format is not null && !formats.Contains(format, StringComparer.Ordinal))
        {
            throw new UsageException(T(
                $"--format takes {string.Join(", ", formats[..^1])} or {formats[^1]} (got '{format}')",
                $"--format 只能是 {string.Join("、", formats[..^1])} 或 {formats[^1]}（收到的是“{format}”）"));
        }

        if (result.GetValue(Json))
        {
            return format is null or "json" ? "json" : throw new UsageException(T($"--json and --format {format} exclude each other", $"--json 和 --format {format} 不能同时使用"));
        }

        return format ?? formats[0];
    }
}
