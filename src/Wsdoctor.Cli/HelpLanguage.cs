using System.Globalization;
using Wsdoctor.Findings;

namespace Wsdoctor.Cli;

/// <summary>The language of the help texts (command, option and argument descriptions). They are set while the
/// command tree is built, before the command line is parsed, so the language is read from the raw arguments
/// (<c>--lang X</c>, <c>--lang=X</c>) and the environment first; <see cref="LanguageOption.Resolve(ParseResult)"/>
/// later reports a bad <c>--lang</c> as a usage error (here it falls back to the environment).</summary>
public static class HelpLanguage
{
    /// <summary>en or zh-CN; set once by Program.cs (<see cref="Use"/>) before <see cref="CommandTree.Build"/>.</summary>
    public static string Current { get; private set; } = UiLanguage.English;

    /// <summary>The help text for <see cref="Current"/>: <c>Description = H("English", "中文")</c>.</summary>
    public static string H(string english, string chinese) =>
        Current == UiLanguage.SimplifiedChinese ? chinese : english;

    /// <summary>Makes <paramref name="language"/> the help language. System.CommandLine's own texts stay English (the UI
    /// culture is invariant): its satellite resources exist in the JIT build only, and do not translate everything, so
    /// wsdoctor translates them itself (<see cref="HelpLayout"/> for the headings, <see cref="ParseErrorText"/> for the
    /// parse errors) and both builds say the same.</summary>
    public static void Use(string language)
    {
        Current = UiLanguage.Parse(language) ?? UiLanguage.English;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
    }

    /// <summary>The language a command line asks for: its last valid <c>--lang</c> value (before a <c>--</c>),
    /// else LC_ALL, LC_MESSAGES and LANG.</summary>
    public static string FromCommandLine(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        string? explicitLanguage = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                break;
            }

            string? value = null;
            if (arg == LanguageOption.Name && i + 1 < args.Count)
            {
                value = args[++i];
            }
            else if (arg.Length > LanguageOption.Name.Length
                     && arg.StartsWith(LanguageOption.Name, StringComparison.Ordinal)
                     && arg[LanguageOption.Name.Length] is '=' or ':')
            {
                value = arg[(LanguageOption.Name.Length + 1)..];
            }

            if (UiLanguage.Parse(value) is { } language)
            {
                explicitLanguage = language;
            }
        }

        return UiLanguage.Resolve(explicitLanguage, environment);
    }
}
