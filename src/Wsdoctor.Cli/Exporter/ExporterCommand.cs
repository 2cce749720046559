using System.CommandLine;
using System.Net;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Exporter.Hosting;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Exporter;

/// <summary><c>wsdoctor exporter</c>: blackbox_exporter's pattern for WebSockets. Runs until SIGINT/SIGTERM and
/// then exits 0; a bad config is one line with file:line:column and exit 2; a busy port exit 1.</summary>
public static class ExporterCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = H("Address to serve /probe and /metrics on (default 127.0.0.1:9115; 0.0.0.0:9115 in a container)", "提供 /probe 和 /metrics 的地址（默认 127.0.0.1:9115；容器中为 0.0.0.0:9115）"), DefaultValueFactory = _ => "127.0.0.1:9115" };
        var config = new Option<string?>("--config") { Description = H("YAML file of modules (docs/exporter.md); default: one module 'default' with check's defaults", "定义模块的 YAML 文件（docs/exporter.md）；默认：一个名为 'default'、使用 check 默认设置的模块") };
        var concurrency = new Option<int>("--concurrency") { Description = H("Probes that run at once (default 8); more wait for a slot within their deadline", "同时运行的探测数（默认 8）；多出的探测在各自的截止时间内排队等候"), DefaultValueFactory = _ => 8 };
        var offset = new Option<string?>("--timeout-offset") { Description = H("Subtracted from Prometheus' scrape timeout to get the probe's deadline (default 500ms)", "从 Prometheus 的抓取超时中减去这个值，得到探测的截止时间（默认 500ms）") };
        var allow = new Option<string[]>("--allow-target") { Description = H("Only probe targets matching [ws://|wss://]HOST[:PORT][/PATH] (repeatable; *.example.com, * = any). Without it, modules that send a credential refuse every target", "只探测匹配 [ws://|wss://]HOST[:PORT][/PATH] 的目标（可重复；*.example.com，* 表示任意）。不设置时，会发送凭据的模块拒绝所有目标"), Arity = ArgumentArity.ZeroOrMore };
        var check = new Option<bool>("--check-config") { Description = H("Read the config, print its modules and exit (0 when valid)", "读取配置，打印其中的模块后退出（配置有效时退出码为 0）") };
        var command = new Command("exporter", H("Prometheus exporter: GET /probe?target=wss://…&module=NAME runs check and answers probe_* metrics", "Prometheus exporter：GET /probe?target=wss://…&module=NAME 会运行 check 并返回 probe_* 指标"));
        foreach (var option in new Option[] { listen, config, concurrency, offset, allow, check })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (!IPEndPoint.TryParse(result.GetValue(listen)!, out var endpoint) || endpoint.Port == 0 && !result.GetValue(listen)!.EndsWith(":0", StringComparison.Ordinal))
            {
                throw new UsageException(T($"--listen takes ADDRESS:PORT such as 127.0.0.1:9115 or [::]:9115 (got '{result.GetValue(listen)}')", $"--listen 的取值是 ADDRESS:PORT，例如 127.0.0.1:9115 或 [::]:9115（收到的是“{result.GetValue(listen)}”）"));
            }

            if (result.GetValue(concurrency) is < 1 or > 1024)
            {
                throw new UsageException(T("--concurrency must be between 1 and 1024", "--concurrency 必须在 1 到 1024 之间"));
            }

            ExporterConfig modules;
            try
            {
                modules = result.GetValue(config) is { } path
                    ? File.Exists(path) ? ConfigLoader.Load(path) : throw new UsageException(T($"{path}: no such file", $"{path}：文件不存在"))
                    : ExporterConfig.Builtin;
            }
            catch (ConfigException ex)
            {
                throw new UsageException(ex.Text);
            }

            var allowTargets = new List<TargetPattern>();
            foreach (var text in result.GetValue(allow) ?? [])
            {
                var (pattern, error) = TargetPattern.Parse(text);
                allowTargets.Add(pattern ?? throw new UsageException(T($"--allow-target: {error}", $"--allow-target：{error!}")));
            }

            if (result.GetValue(check))
            {
                var language = LanguageOption.Current;
                foreach (var module in modules.Modules.Values)
                {
                    var timeout = DurationText.Format(module.Timeout);
                    var scenario = module.Scenario is { } s ? T($", scenario {s}", $"，场景 {s}") : Empty;
                    var token = module.Token is null ? Empty
                        : module.Token.Env is { } e ? T($", token from ${e}", $"，令牌取自 ${e}")
                        : T($", token from {module.Token.File}", $"，令牌取自 {module.Token.File}");
                    await Console.Out.WriteLineAsync(T($"module {module.Name}: timeout {timeout}{scenario}{token}", $"模块 {module.Name}：超时 {timeout}{scenario}{token}").In(language)).ConfigureAwait(false);
                }

                var patterns = string.Join(", ", modules.AllowTargets.Concat(allowTargets).Select(p => p.Text));
                var allowed = patterns.Length > 0
                    ? T($"allowed targets: {patterns}", $"允许的目标：{patterns}")
                    : T("allowed targets: any, for modules without a credential (modules with one refuse every target until --allow-target or allow_targets: lists some)", "允许的目标：不带凭据的模块可探测任意目标（带凭据的模块会拒绝所有目标，直到 --allow-target 或 allow_targets: 列出了一些目标）");
                await Console.Out.WriteLineAsync(allowed.In(language)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var options = new ExporterOptions
            {
                Listen = endpoint,
                Config = modules,
                Concurrency = result.GetValue(concurrency),
                TimeoutOffset = result.GetValue(offset) is { } o ? DurationText.Parse(o, "--timeout-offset", 60) : TimeSpan.FromMilliseconds(500),
                Log = Console.Error,
                AllowTargets = allowTargets,
            };
            ExporterServer server;
            try
            {
                server = await ExporterServer.StartAsync(options, ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync(CliHost.Error(T($"cannot listen on {endpoint}: {ex.Message}", $"无法在 {endpoint} 上监听：{ex.Message}"), LanguageOption.Current)).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await using (server.ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync($"ts={DateTimeOffset.UtcNow:O} event=listen url={server.Url}probe modules={string.Join(",", modules.Modules.Keys)}").ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"ts={DateTimeOffset.UtcNow:O} event=ready").ConfigureAwait(false);
                await server.WaitForShutdownAsync(ct).ConfigureAwait(false);
                await Console.Error.WriteLineAsync($"ts={DateTimeOffset.UtcNow:O} event=stopped").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
