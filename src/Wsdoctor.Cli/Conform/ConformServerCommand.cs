using Spectre.Console;
using System.CommandLine;
using System.Diagnostics;
using Wsdoctor.Conform.Client;
using Wsdoctor.Conform.Reports;
using Wsdoctor.Reports;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform server URL</c>: the cases against an echoing server (Autobahn's fuzzingclient).</summary>
internal static class ConformServerCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The echo server to test, ws://host:port/path" };
        var shared = new ConformOptions();
        var agent = new Option<string?>("--agent") { Description = "The name the server gets in the reports (default: host:port)" };
        var parallel = new Option<int>("--parallel") { Description = "Cases run at once, each on its own connection (default 8)", DefaultValueFactory = _ => 8 };
        var command = new Command("server", "Run the conformance cases against a server that echoes every message (Autobahn's fuzzingclient)");
        command.Arguments.Add(url);
        shared.AddTo(command);
        command.Options.Add(agent);
        command.Options.Add(parallel);
        command.SetAction(async (result, ct) =>
        {
            var (target, problem) = ServerTarget.FromUrl(result.GetValue(url)!);
            if (target is null)
            {
                throw new UsageException(problem!);
            }

            var workers = result.GetValue(parallel);
            if (workers is < 1 or > 64)
            {
                throw new UsageException($"--parallel takes 1-64 (got {workers})");
            }

            var cases = shared.Select(result, testingServer: true);
            var name = ConformOptions.AgentName(result.GetValue(agent), target.HostHeader);
            var reportDir = result.GetValue(shared.ReportDir) ?? Path.Combine("reports", "servers");
            if (await ServerSuite.ReachableAsync(target, ct).ConfigureAwait(false) is { } unreachable)
            {
                throw new UsageException(unreachable);
            }

            var console = Terminal.Stdout();
            var interactive = !Console.IsOutputRedirected && ConsoleFactory.ColourWanted(false);
            console.WriteLine($"conform server {target} ({name}): {cases.Count} cases, {workers} at a time");
            var clock = Stopwatch.StartNew();
            var results = await ConformText.WithProgressAsync(console, interactive, cases.Count,
                done => ServerSuite.RunAsync(target, cases, name, workers, done, ct)).ConfigureAwait(false);
            clock.Stop();
            ReportWriter.Write(reportDir, results, agentsAreServers: true, "wsdoctor conform: servers");
            ConformText.Summary(console, results, clock.Elapsed, name, reportDir);

            // Interrupted: the report of what ran is written; CliHost reports the interruption (130/143).
            ct.ThrowIfCancellationRequested();
            return ConformText.ExitCode(results, result.GetValue(shared.Strict));
        });
        return command;
    }
}
