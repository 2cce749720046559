using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Wsdoctor.Lab.Servers;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Exporter.Tests;

/// <summary>A real Prometheus (Debian's) scrapes the real wsdoctor exporter through blackbox_exporter's
/// relabel_configs, a healthy and a refusing endpoint as its targets; the stored series are read back over
/// Prometheus' HTTP API.</summary>
public sealed class PrometheusTests
{
    private const string PrometheusPath = "/usr/bin/prometheus";

    [SkippableFact]
    public async Task Prometheus_ScrapesTheExporterThroughRelabelConfigs_StoresEveryMetric()
    {
        Peers.Require(PrometheusPath);
        await using var echo = await KestrelEcho.StartAsync();
        var exporterPort = Peers.FreePort();
        await using var exporter = LongRunningProcess.Start(ServeProcess.DotnetHost, [ServeProcess.DllPath, "exporter", "--listen", $"127.0.0.1:{exporterPort}"]);
        await exporter.Stderr.WaitForAsync(l => l.Contains("event=ready", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the exporter's ready line");

        var healthy = $"ws://127.0.0.1:{echo.Port}/";
        var refused = $"ws://127.0.0.1:{Peers.FreePort()}/";
        var dir = Directory.CreateTempSubdirectory("wsdoctor-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 2s
              scrape_timeout: 2s
            scrape_configs:
              - job_name: wsdoctor
                metrics_path: /probe
                params:
                  module: [default]
                static_configs:
                  - targets: ["{healthy}", "{refused}"]
                relabel_configs:
                  - source_labels: [__address__]
                    target_label: __param_target
                  - source_labels: [__param_target]
                    target_label: instance
                  - target_label: __address__
                    replacement: 127.0.0.1:{exporterPort}
              - job_name: wsdoctor-exporter
                static_configs:
                  - targets: ["127.0.0.1:{exporterPort}"]
            """ + "\n");
        var promPort = Peers.FreePort();
        await using var prometheus = LongRunningProcess.Start(PrometheusPath,
            ["--config.file", config, "--storage.tsdb.path", Path.Combine(dir, "data"), "--web.listen-address", $"127.0.0.1:{promPort}", "--log.level", "warn"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{promPort}/"), Timeout = TimeSpan.FromSeconds(5) };

        // Bounded: the series appear after the first scrapes (1 s apart); 40 s is ample on a loaded machine.
        var clock = Stopwatch.StartNew();
        JsonElement[] success = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            success = await QueryAsync(http, "probe_success{job=\"wsdoctor\"}");
            if (success.Length == 2 && (await QueryAsync(http, "probe_ws_root_cause_info")).Length == 1 && (await QueryAsync(http, "wsdoctor_exporter_probes_total")).Length >= 2)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(success.Length == 2, $"probe_success series: {success.Length}\n{string.Join("\n", prometheus.Stderr.Lines)}\n{string.Join("\n", exporter.Stderr.Lines.TakeLast(10))}");
        Assert.Equal(1, ValueOf(success, healthy));
        Assert.Equal(0, ValueOf(success, refused));
        var cause = Assert.Single(await QueryAsync(http, "probe_ws_root_cause_info"));
        Assert.Equal(refused, cause.GetProperty("metric").GetProperty("instance").GetString());
        Assert.Equal("tcp.refused", cause.GetProperty("metric").GetProperty("code").GetString());
        Assert.Equal(101, ValueOf(await QueryAsync(http, "probe_http_status_code"), healthy));
        Assert.Equal(0, ValueOf(await QueryAsync(http, "probe_http_status_code"), refused));
        var phases = await QueryAsync(http, $"probe_ws_duration_seconds{{instance=\"{healthy}\"}}");
        Assert.Equal(["connect", "pong", "upgrade"], phases.Select(p => p.GetProperty("metric").GetProperty("phase").GetString()).Order(StringComparer.Ordinal));
        Assert.InRange(ValueOf(await QueryAsync(http, "probe_ws_rtt_seconds"), healthy), 0.000001, 1);
        Assert.InRange(ValueOf(await QueryAsync(http, "probe_duration_seconds"), refused), 0.000001, 1);
        Assert.All(await QueryAsync(http, "up{job=\"wsdoctor\"}"), u => Assert.Equal("1", u.GetProperty("value")[1].GetString()));
        Assert.Contains(await QueryAsync(http, "wsdoctor_exporter_probes_total"), s => s.GetProperty("metric").GetProperty("result").GetString() == "failure");
    }

    private static async Task<JsonElement[]> QueryAsync(HttpClient http, string query)
    {
        try
        {
            using var response = await http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(query)}");
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Prometheus is still starting.
            return [];
        }
    }

    private static double ValueOf(JsonElement[] series, string instance) =>
        double.Parse(series.Single(s => s.GetProperty("metric").GetProperty("instance").GetString() == instance).GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
}
