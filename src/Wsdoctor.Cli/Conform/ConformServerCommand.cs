using Spectre.Console;
using System.CommandLine;
using System.Diagnostics;
using Wsdoctor.Conform.Client;
using Wsdoctor.Conform.Reports;
using Wsdoctor.Reports;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Conform;

/// <summary><c>wsdoctor conform server URL</c>: the cases against an echoing server (Autobahn's fuzzingclient).</summary>
internal static class ConformServerCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = H("The echo server to test, ws://host:port/path or wss://…", "要测试的 echo 服务端，ws://host:port/path 或 wss://…") };
        var ca = ConformTls.Ca();
        var insecure = ConformTls.Insecure();
        var shared = new ConformOptions();
        var agent = new Option<string?>("--agent") { Description = H("The name the server gets in the reports (default: host:port)", "服务端在报告中的名字（默认：host:port）") };
        var parallel = new Option<int>("--parallel") { Description = H("Cases run at once, each on its own connection (default 8)", "同时运行的用例数，每个用例各用一个连接（默认 8）"), DefaultValueFactory = _ => 8 };
        var command = new Command("server", H("Run the conformance cases against a server that echoes every message (Autobahn's fuzzingclient)", "对一个回显所有消息的服务端运行一致性测试用例（相当于 Autobahn 的 fuzzingclient）"));
        command.Arguments.Add(url);
        shared.AddTo(command);
        command.Options.Add(agent);
        command.Options.Add(parallel);
        command.Options.Add(ca);
        command.Options.Add(insecure);
        command.SetAction(async (result, ct) =>
        {
            var (parsed, problem) = ServerTarget.FromUrl(result.GetValue(url)!);
            if (parsed is null)
            {
                throw new UsageException(problem!);
            }

            var target = ConformTls.Apply(parsed, result.GetValue(ca), result.GetValue(insecure));

            var workers = result.GetValue(parallel);
            if (workers is < 1 or > 64)
            {
                throw new UsageException(T($"--parallel takes 1-64 (got {workers})", $"--parallel 的取值为 1-64（收到的是 {workers}）"));
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
            var showSecrets = result.GetValue(shared.ShowSecrets);
            var shownTarget = showSecrets ? target.ToString() : Protocol.Secrets.SecretRedactor.RedactUrl(target.ToString());
            console.WriteLine(T($"conform server {shownTarget} ({name}): {cases.Count} cases, {workers} at a time", $"conform server {shownTarget}（{name}）：{cases.Count} 个用例，每次同时运行 {workers} 个").In(LanguageOption.Current));
            var clock = Stopwatch.StartNew();
            var results = await ConformText.WithProgressAsync(console, interactive, cases.Count,
                done => ServerSuite.RunAsync(target, cases, name, workers, done, ct)).ConfigureAwait(false);
            clock.Stop();
            ReportWriter.Write(reportDir, results, agentsAreServers: true, "wsdoctor conform: servers", showSecrets);
            ConformText.Summary(console, results, clock.Elapsed, name, reportDir);

            // Interrupted: the report of what ran is written; CliHost reports the interruption (130/143).
            ct.ThrowIfCancellationRequested();
            return ConformText.ExitCode(results, result.GetValue(shared.Strict));
        });
        return command;
    }
}
