using System.Diagnostics;
using System.Text.Json;
using Wsdoctor.Bench.Results;
using Wsdoctor.Bench.Runs;
using Wsdoctor.Bench.Sampling;
using Wsdoctor.Bench.Servers;

namespace Wsdoctor.Bench;

/// <summary>The whole comparison: throughput runs with every server up and the servers taking turns run by run
/// (so a burst of outside load hits both alike), then the idle-memory run on a fresh process per server.</summary>
public static class BenchRunner
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<BenchReport> RunAsync(BenchSettings settings, string command, TextWriter progress, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var machine = MachineInfo.Collect(settings);
        var loadBefore = MachineCpu.LoadAverage();
        var throughput = new List<ThroughputRow>();
        var servers = new List<ServerProcess>();
        try
        {
            foreach (var name in settings.Servers)
            {
                servers.Add(await ServerCatalog.StartAsync(name, settings, ct).ConfigureAwait(false));
                progress.WriteLine($"bench: {name} listening at {servers[^1].Url} (pid {servers[^1].Pid})");
            }

            foreach (var size in settings.MessageSizes)
            {
                foreach (var connections in settings.Connections)
                {
                    foreach (var server in servers)
                    {
                        var row = await ThroughputRun.RunAsync(server, connections, size, settings, ct).ConfigureAwait(false);
                        throughput.Add(row);
                        progress.WriteLine($"bench: {row.Server,-9} {connections,3} conns × {size,5} B: {row.MessagesPerSecond,9:N0} msg/s, p99 {row.LatencyMicroseconds.P99,7:N0} µs, server CPU {row.ServerCpuMicrosecondsPerMessage,6:N1} µs/msg, errors {row.Errors}");
                    }
                }
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }

        var idle = new List<IdleRow>();
        foreach (var name in settings.Servers.Where(ServerCatalog.IsWebSocket))
        {
            var row = await IdleRun.RunAsync(name, settings, ct).ConfigureAwait(false);
            idle.Add(row);
            progress.WriteLine($"bench: {row.Server,-9} {row.Established}/{row.Requested} idle: RSS {row.RssBeforeKiB / 1024.0:0.0} → {row.RssWithIdleKiB / 1024.0:0.0} MiB = {row.KiBPerConnection:N1} KiB per connection, errors {row.Errors}");
        }

        var generators = new List<GeneratorRow>();
        if (settings.Generators.Count > 0)
        {
            using var server = await ServerCatalog.StartAsync(ServerCatalog.Gorilla, settings, ct).ConfigureAwait(false);
            using var http = new HttpClient();
            progress.WriteLine($"bench: generator comparison against {server.Name} at {server.Url} (pid {server.Pid})");
            foreach (var connections in settings.GeneratorConnections)
            {
                foreach (var name in settings.Generators)
                {
                    var row = await GeneratorRun.RunAsync(name, server, http, connections, settings.GeneratorMessageBytes, settings, ct).ConfigureAwait(false);
                    generators.Add(row);
                    progress.WriteLine(row.Error is null
                        ? $"bench: generator {name,-9} {connections,3} conns: {row.MessagesPerSecond,9:N0} msg/s, generator CPU {row.GeneratorCpuMicrosecondsPerMessage,6:N1} µs/msg ({row.GeneratorCpuPercent:0}%, {row.GeneratorProcesses} processes)"
                        : $"bench: generator {name,-9} {connections,3} conns: failed: {row.Error}");
                }
            }
        }

        var report = new BenchReport(started, clock.Elapsed.TotalSeconds, command, machine, loadBefore, MachineCpu.LoadAverage(), settings, throughput, idle, generators);
        Directory.CreateDirectory(settings.OutputDirectory);
        var json = JsonSerializer.Serialize(report, Json);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, $"bench-{started:yyyyMMdd-HHmmss}.json"), json, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "latest.json"), json, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "latest.md"), MarkdownReport.Render(report), ct).ConfigureAwait(false);
        return report;
    }
}
