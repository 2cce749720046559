using Spectre.Console;
using System.CommandLine;
using System.Net;
using Wsdoctor.Conform.Engine;
using Wsdoctor.Conform.Harness;
using Wsdoctor.Conform.Reports;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform client</c>: Autobahn's fuzzingserver, for the test scripts of client libraries.</summary>
internal static class ConformClientCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = H("Address the harness listens on (loopback by default)", "测试框架监听的地址（默认为回环地址）"), DefaultValueFactory = _ => "127.0.0.1:9001" };
        var once = new Option<bool>("--exit-after-report") { Description = H("Exit after the first /updateReports (exit 1 if a case FAILED) instead of waiting for Ctrl-C", "收到第一次 /updateReports 后就退出（有用例 FAILED 时退出码为 1），而不是等待 Ctrl-C") };
        var shared = new ConformOptions();
        var tlsCert = ConformTls.Cert();
        var tlsKey = ConformTls.Key();
        var tlsDev = ConformTls.Dev();
        var command = new Command("client", H("Serve the conformance cases to a WebSocket client through Autobahn's harness protocol (/getCaseCount, /runCase, /updateReports)", "通过 Autobahn 的测试框架协议（/getCaseCount、/runCase、/updateReports）向 WebSocket 客户端提供一致性测试用例"));
        command.Options.Add(listen);
        command.Options.Add(once);
        command.Options.Add(tlsCert);
        command.Options.Add(tlsKey);
        command.Options.Add(tlsDev);
        shared.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var text = result.GetValue(listen)!;
            if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port is < 0 or > 65535 || !text.Contains(':', StringComparison.Ordinal))
            {
                throw new UsageException(T($"--listen takes ADDRESS:PORT such as 127.0.0.1:9001 (got '{text}')", $"--listen 的取值是 ADDRESS:PORT，例如 127.0.0.1:9001（收到的是“{text}”）"));
            }

            var cases = shared.Select(result, testingServer: false);
            var reportDir = result.GetValue(shared.ReportDir) ?? Path.Combine("reports", "clients");
            var strict = result.GetValue(shared.Strict);
            var exitAfterReport = result.GetValue(once);
            var showSecrets = result.GetValue(shared.ShowSecrets);
            var console = Terminal.Stdout();
            var certificate = ConformTls.ServerCertificate(result.GetValue(tlsCert), result.GetValue(tlsKey), result.GetValue(tlsDev));
            var server = new FuzzingServer(endpoint, cases, certificate);
            await using (server.ConfigureAwait(false))
            {
                try
                {
                    server.Start();
                }
                catch (System.Net.Sockets.SocketException ex)
                {
                    throw new UsageException(T($"--listen {text}: {ex.Message}", $"--listen {text}：{ex.Message}"));
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
                    Report(console, server.Results, agent, reportDir, started.Elapsed, showSecrets);
                    return Task.CompletedTask;
                };
                server.ReportsAnswered = () => reported.TrySetResult();
                var at = $"{(certificate is null ? "ws" : "wss")}://{server.LocalEndpoint}";
                const string Paths = "/getCaseCount, /runCase?case=N&agent=A, /updateReports?agent=A";
                console.WriteLine(T(
                    $"conform client: {cases.Count} cases on {at} ({Paths}); Ctrl-C writes the reports and stops",
                    $"conform client：在 {at} 上提供 {cases.Count} 个用例（{Paths}）；按 Ctrl-C 写出报告并停止").In(LanguageOption.Current));
                try
                {
                    await (exitAfterReport ? reported.Task.WaitAsync(ct) : Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl-C / SIGTERM: the normal end of a harness run.
                    Report(console, server.Results, null, reportDir, started.Elapsed, showSecrets);
                }

                return ConformText.ExitCode(server.Results, strict);
            }
        });
        return command;
    }

    private static void Report(Spectre.Console.IAnsiConsole console, IReadOnlyList<CaseResult> all, string? agent, string reportDir, TimeSpan elapsed, bool showSecrets)
    {
        ReportWriter.Write(reportDir, all, agentsAreServers: false, "wsdoctor conform: clients", showSecrets);
        lock (console)
        {
            foreach (var group in all.GroupBy(r => r.Agent).Where(g => agent is null || g.Key == agent))
            {
                ConformText.Summary(console, [.. group.OrderBy(r => r.Id, Comparer<string>.Create(Wsdoctor.Conform.Cases.ConformCase.Compare))], elapsed, group.Key, null);
            }

            console.WriteLine(ConformText.Reports(reportDir));
        }
    }
}
