using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Wsdoctor.Cli;

/// <summary>Help under zh-CN with Chinese section headings wherever it runs. System.CommandLine takes its headings from
/// satellite resources chosen by the UI culture: the native binary (invariant globalization) has none and prints
/// "Usage:", and no culture translates "Description:". The help is written as usual into a buffer, then each heading
/// line (unindented, one of System.CommandLine's) is replaced.</summary>
public static class HelpLayout
{
    private static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["Description:"] = "说明：",
        ["Usage:"] = "用法：",
        ["用法:"] = "用法：",
        ["Arguments:"] = "参数：",
        ["参数:"] = "参数：",
        ["Options:"] = "选项：",
        ["选项:"] = "选项：",
        ["Commands:"] = "命令：",
        ["命令:"] = "命令：",
        ["Additional Arguments:"] = "其他参数：",
        ["其他参数:"] = "其他参数：",
    };

    /// <summary>Makes every help option of the tree print Chinese headings.</summary>
    public static void UseChineseHeadings(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new ChineseHelpAction(help.Action as HelpAction ?? new HelpAction());
        }
    }

    /// <summary>One line of the help: a heading in Chinese, any other line as it is.</summary>
    public static string Line(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Headings.GetValueOrDefault(line.TrimEnd(), line);
    }

    private sealed class ChineseHelpAction(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var configuration = parseResult.InvocationConfiguration;
            var output = configuration.Output;
            using var buffer = new StringWriter();
            configuration.Output = buffer;
            int exitCode;
            try
            {
                exitCode = inner.Invoke(parseResult);
            }
            finally
            {
                configuration.Output = output;
            }

            var text = buffer.ToString();
            foreach (var line in (text.EndsWith('\n') ? text[..^1] : text).Split('\n'))
            {
                output.Write(Line(line.TrimEnd('\r')));
                output.Write('\n');
            }

            output.Flush();
            return exitCode;
        }
    }
}
