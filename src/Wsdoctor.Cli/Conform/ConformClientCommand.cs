using Spectre.Console;
using System.CommandLine;
using System.Net;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Conform.Harness;
using Wsdoctor.Conform.Reports;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform client</c>: Autobahn's fuzzingserver, for the test scripts of client libraries.</summary>
internal static class ConformClientCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address the harness listens on (loopback by default)", DefaultValueFactory = _ => "127.0.0.1:9001" };
        var once = new Option<bool>("--exit-after-report") { Description = "Exit after the first /updateReports (exit 1 if a case FAILED) instead of waiting for Ctrl-C" };
        var shared = new ConformOptions();
        var command = new Command("client", "Serve the conformance cases to a WebSocket client through Autobahn's harness protocol (/getCaseCount, /runCase, /updateReports)");
        command.Options.Add(listen);
        command.Options.Add(once);
        shared.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var text = result.GetValue(listen)!;
            if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port is < 0 or > 65535 || !text.Contains(':', StringComparison.Ordinal))
            {
                throw new UsageException($"--listen takes ADDRESS:PORT such as 127.0.0.1:9001 (got '{text}')");
            }

            var cases = shared.Select(result, testingServer: false);
            var reportDir = result.GetValue(shared.ReportDir) ?? Path.Combine("reports", "clients");
            var strict = result.GetValue(shared.Strict);
            var exitAfterReport = result.GetValue(once);
            var console = Terminal.Stdout();
            var server = new FuzzingServer(endpoint, cases);
            await using (server.ConfigureAwait(false))
            {
                try
                {
                    server.Start();
                }
                catch (System.Net.Sockets.SocketException ex)
                {
                    throw new UsageException($"--listen {text}: {ex.Message}");
                }

                var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var started = System.Diagnostics.Stopwatch.StartNew();
                server.CaseCompleted += r =>
                {
                    lock (console)
                    {
                        console.WriteLine($"  {r.Agent}  {r.Id,-8} {r.Behavior}{(r.Behavior is Grades.Ok or Grades.Informational or Grades.Unimplemented ? "" : $"  {r.Result}")}");
                    }
                };
                server.ReportsRequested = agent =>
                {
                    Report(console, server.Results, agent, reportDir, started.Elapsed);
                    reported.TrySetResult();
                    return Task.CompletedTask;
                };
                console.WriteLine($"conform client: {cases.Count} cases on ws://{server.LocalEndpoint} (/getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A); Ctrl-C writes the reports and stops");
                try
                {
                    await (exitAfterReport ? reported.Task.WaitAsync(ct) : Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl-C / SIGTERM: the normal end of a harness run.
                    Report(console, server.Results, null, reportDir, started.Elapsed);
                }

                return ConformText.ExitCode(server.Results, strict);
            }
        });
        return command;
    }

    private static void Report(Spectre.Console.IAnsiConsole console, IReadOnlyList<CaseResult> all, string? agent, string reportDir, TimeSpan elapsed)
    {
        ReportWriter.Write(reportDir, all, agentsAreServers: false, "wsdoctor conform: clients");
        lock (console)
        {
            foreach (var group in all.GroupBy(r => r.Agent).Where(g => agent is null || g.Key == agent))
            {
                ConformText.Summary(console, [.. group.OrderBy(r => r.Id, Comparer<string>.Create(Wsdoctor.Conform.Cases.ConformCase.Compare))], elapsed, group.Key, null);
            }

            console.WriteLine($"reports: {Path.Combine(reportDir, "index.html")}, {Path.Combine(reportDir, "index.json")}");
        }
    }
}
