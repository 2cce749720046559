using System.CommandLine;
using System.CommandLine.Help;
using static Wsdoctor.Cli.HelpLanguage;

namespace Wsdoctor.Cli;

/// <summary>wsdoctor's command tree, its help texts in the current <see cref="HelpLanguage"/>.</summary>
public static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand(H("wsdoctor — tells you why a WebSocket connection fails, and how to fix it", "wsdoctor：告诉你 WebSocket 连接为什么失败，以及怎么修"));
        root.Options.Add(LanguageOption.Described());
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            // System.CommandLine's zh-Hans resources translate "Usage:", "Options:" and --version, but not this one.
            help.Description = H(help.Description ?? string.Empty, "显示帮助和用法信息");
        }

        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Description = H(version.Description ?? string.Empty, "显示版本信息");
        }

        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(Cert.CertCommand.Create());
        root.Subcommands.Add(Conform.ConformCommand.Create());
        root.Subcommands.Add(ConnectCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(LabCommand.Create());
        root.Subcommands.Add(Lint.LintCommand.Create());
        root.Subcommands.Add(Probe.ProbeCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(Test.TestCommand.Create());
        root.Subcommands.Add(Snippet.SnippetCommand.Create());
        root.Subcommands.Add(Bench.BenchCommand.Create());
        root.Subcommands.Add(Watch.WatchCommand.Create());
        root.Subcommands.Add(Exporter.ExporterCommand.Create());
        root.Subcommands.Add(Completion.CompletionCommand.Create(root));
        if (Current == Findings.UiLanguage.SimplifiedChinese)
        {
            HelpLayout.UseChineseHeadings(root);
        }

        return root;
    }
}
