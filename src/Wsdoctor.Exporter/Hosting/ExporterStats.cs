using Wsdoctor.Exporter.Metrics;
using Wsdoctor.Exporter.Probing;

namespace Wsdoctor.Exporter.Hosting;

/// <summary>The exporter's own /metrics: probes by module and result, root causes by module and code (the catalogue
/// bounds their number), rejected requests, probes in flight and the concurrency limit.</summary>
internal sealed class ExporterStats(int concurrency)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Module, string Result), long> probes = [];
    private readonly Dictionary<(string Module, string Code), long> causes = [];
    private readonly Dictionary<string, (double Sum, long Count)> durations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> rejected = new(StringComparer.Ordinal) { ["bad-request"] = 0, ["concurrency"] = 0 };
    private readonly double startTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
    private int inFlight;

    public void Started() => Interlocked.Increment(ref inFlight);

    public void Ended() => Interlocked.Decrement(ref inFlight);

    public void Probed(string module, ProbeOutcome outcome)
    {
        lock (gate)
        {
            var key = (module, outcome.Success ? "success" : "failure");
            probes[key] = probes.GetValueOrDefault(key) + 1;
            if (outcome.RootCause is { } code)
            {
                causes[(module, code)] = causes.GetValueOrDefault((module, code)) + 1;
            }

            var (sum, count) = durations.GetValueOrDefault(module);
            durations[module] = (sum + outcome.Duration.TotalSeconds, count + 1);
        }
    }

    public void Rejected(string reason)
    {
        lock (gate)
        {
            rejected[reason] = rejected.GetValueOrDefault(reason) + 1;
        }
    }

    public string Render()
    {
        lock (gate)
        {
            var text = new PrometheusText();
            text.Family("wsdoctor_exporter_build_info", "gauge", "The wsdoctor version serving these metrics",
                ([("version", typeof(ExporterStats).Assembly.GetName().Version?.ToString(3) ?? "0")], 1));
            text.Gauge("wsdoctor_exporter_start_time_seconds", "When the exporter started, in Unix seconds", startTime);
            text.Gauge("wsdoctor_exporter_concurrency_limit", "Probes that may run at once (--concurrency)", concurrency);
            text.Gauge("wsdoctor_exporter_probes_in_flight", "Probes running now", Volatile.Read(ref inFlight));
            text.Family("wsdoctor_exporter_probes_total", "counter", "Probes answered, by module and result",
                [.. probes.OrderBy(kv => kv.Key.Module, StringComparer.Ordinal).ThenBy(kv => kv.Key.Result, StringComparer.Ordinal)
                    .Select(kv => ((IReadOnlyList<(string, string)>)[("module", kv.Key.Module), ("result", kv.Key.Result)], (double)kv.Value))]);
            text.Family("wsdoctor_exporter_root_causes_total", "counter", "Failed probes by module and root cause (a catalogue code)",
                [.. causes.OrderBy(kv => kv.Key.Module, StringComparer.Ordinal).ThenBy(kv => kv.Key.Code, StringComparer.Ordinal)
                    .Select(kv => ((IReadOnlyList<(string, string)>)[("module", kv.Key.Module), ("code", kv.Key.Code)], (double)kv.Value))]);
            text.Family("wsdoctor_exporter_requests_rejected_total", "counter", "Probe requests refused: bad-request (400) or concurrency (503)",
                [.. rejected.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ((IReadOnlyList<(string, string)>)[("reason", kv.Key)], (double)kv.Value))]);
            text.Family("wsdoctor_exporter_probe_duration_seconds", "summary", "Time spent probing, by module", []);
            foreach (var (module, (sum, count)) in durations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                text.Sample("wsdoctor_exporter_probe_duration_seconds_sum", [("module", module)], sum);
                text.Sample("wsdoctor_exporter_probe_duration_seconds_count", [("module", module)], count);
            }

            return text.ToString();
        }
    }
}
