using System.CommandLine;
using Wsdoctor.Findings;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli;

/// <summary><c>--lang en|zh-CN</c>, accepted by every command (a recursive option of the root command). Without
/// it LC_ALL, LC_MESSAGES and LANG decide (zh_* gives zh-CN; see <see cref="UiLanguage.Resolve"/>).</summary>
public static class LanguageOption
{
    public const string Name = "--lang";

    public static Option<string?> Option { get; } = new(Name) { Recursive = true };

    /// <summary><see cref="Option"/>, described in the current <see cref="HelpLanguage"/> (the option is one
    /// instance, read by <see cref="Resolve(ParseResult)"/>; its text is set whenever a command tree is built).</summary>
    public static Option<string?> Described()
    {
        Option.Description = H("Output language: en or zh-CN (default: from LC_ALL, LC_MESSAGES, LANG)", "输出语言：en 或 zh-CN（默认取自 LC_ALL、LC_MESSAGES、LANG）");
        return Option;
    }

    /// <summary>The output language of the command line being run, set by <see cref="CliHost"/> once it is parsed,
    /// for code that renders far from the parse result (connect's diagnosis under a failure, bench's).</summary>
    public static string Current { get; internal set; } = UiLanguage.English;

    /// <summary>The output language of this command line; a bad --lang is a usage error.</summary>
    public static string Resolve(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Resolve(result.GetValue(Option));
    }

    public static string Resolve(string? explicitLanguage)
    {
        if (explicitLanguage is not null && UiLanguage.Parse(explicitLanguage) is null)
        {
            throw new UsageException(Text.T(
                $"--lang must be {string.Join(" or ", UiLanguage.Supported)} (got '{explicitLanguage}')",
                $"--lang 只能是 {string.Join(" 或 ", UiLanguage.Supported)}（收到的是“{explicitLanguage}”）"));
        }

        return UiLanguage.Resolve(explicitLanguage, Environment.GetEnvironmentVariable);
    }
}
