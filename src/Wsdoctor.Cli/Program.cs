using System.CommandLine;
using Wsdoctor.Cli;

var root = new RootCommand("wsdoctor — tells you why a WebSocket connection fails, and how to fix it");
root.Options.Add(LanguageOption.Option);
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Cert.CertCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Conform.ConformCommand.Create());
root.Subcommands.Add(ConnectCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(LabCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Lint.LintCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Probe.ProbeCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Test.TestCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Snippet.SnippetCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Bench.BenchCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Watch.WatchCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Exporter.ExporterCommand.Create());
root.Subcommands.Add(Wsdoctor.Cli.Completion.CompletionCommand.Create(root));

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await CliHost.RunAsync(root, args, cancel.Token).ConfigureAwait(false);
