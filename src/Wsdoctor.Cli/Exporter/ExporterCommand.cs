using System.CommandLine;
using System.Net;
using Wsdoctor.Exporter.Config;
using Wsdoctor.Exporter.Hosting;

namespace Wsdoctor.Cli.Exporter;

/// <summary><c>wsdoctor exporter</c>: blackbox_exporter's pattern for WebSockets. Runs until SIGINT/SIGTERM and
/// then exits 0; a bad config is one line with file:line:column and exit 2; a busy port exit 1.</summary>
public static class ExporterCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address to serve /probe and /metrics on (default 127.0.0.1:9115; 0.0.0.0:9115 in a container)", DefaultValueFactory = _ => "127.0.0.1:9115" };
        var config = new Option<string?>("--config") { Description = "YAML file of modules (docs/exporter.md); default: one module 'default' with check's defaults" };
        var concurrency = new Option<int>("--concurrency") { Description = "Probes that run at once (default 8); more wait for a slot within their deadline", DefaultValueFactory = _ => 8 };
        var offset = new Option<string?>("--timeout-offset") { Description = "Subtracted from Prometheus' scrape timeout to get the probe's deadline (default 500ms)" };
        var check = new Option<bool>("--check-config") { Description = "Read the config, print its modules and exit (0 when valid)" };
        var command = new Command("exporter", "Prometheus exporter: GET /probe?target=wss://…&module=NAME runs check and answers probe_* metrics");
        foreach (var option in new Option[] { listen, config, concurrency, offset, check })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            if (!IPEndPoint.TryParse(result.GetValue(listen)!, out var endpoint) || endpoint.Port == 0 && !result.GetValue(listen)!.EndsWith(":0", StringComparison.Ordinal))
            {
                throw new UsageException($"--listen takes ADDRESS:PORT such as 127.0.0.1:9115 or [::]:9115 (got '{result.GetValue(listen)}')");
            }

            if (result.GetValue(concurrency) is < 1 or > 1024)
            {
                throw new UsageException("--concurrency must be between 1 and 1024");
            }

            ExporterConfig modules;
            try
            {
                modules = result.GetValue(config) is { } path
                    ? File.Exists(path) ? ConfigLoader.Load(path) : throw new UsageException($"{path}: no such file")
                    : ExporterConfig.Builtin;
            }
            catch (ConfigException ex)
            {
                throw new UsageException(ex.Message);
            }

            if (result.GetValue(check))
            {
                foreach (var module in modules.Modules.Values)
                {
                    await Console.Out.WriteLineAsync($"module {module.Name}: timeout {DurationText.Format(module.Timeout)}{(module.Scenario is { } s ? $", scenario {s}" : "")}{(module.Token is not null ? ", token from " + (module.Token.Env is { } e ? $"${e}" : module.Token.File) : "")}").ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }

            var options = new ExporterOptions
            {
                Listen = endpoint,
                Config = modules,
                Concurrency = result.GetValue(concurrency),
                TimeoutOffset = result.GetValue(offset) is { } o ? DurationText.Parse(o, "--timeout-offset", 60) : TimeSpan.FromMilliseconds(500),
                Log = Console.Error,
            };
            ExporterServer server;
            try
            {
                server = await ExporterServer.StartAsync(options, ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"wsdoctor: error: cannot listen on {endpoint}: {ex.Message}").ConfigureAwait(false);
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
