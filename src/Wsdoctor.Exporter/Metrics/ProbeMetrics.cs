using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Scenarios.Running;
using Wsdoctor.Watch.Scenarios;

namespace Wsdoctor.Exporter.Metrics;

/// <summary>The probe_* metrics of a check report or of scenario runs. Names follow blackbox_exporter where it has
/// one (probe_success, probe_duration_seconds, probe_dns_lookup_time_seconds, probe_http_status_code,
/// probe_ssl_earliest_cert_expiry, probe_tls_version_info) so its dashboards and alerts keep working; the
/// WebSocket-specific ones are probe_ws_*. Label values are catalogue codes, phase and step names, never a URL,
/// header or token.</summary>
public static class ProbeMetrics
{
    private const string Gauge = "gauge";

    public static void Check(CheckReport report, PrometheusText text)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(text);
        var t = report.Timings;
        var phases = new (string Phase, double? Ms)[]
        {
            ("dns", t.DnsMs), ("connect", t.ConnectMs), ("proxy", t.ProxyMs), ("tls", t.TlsMs), ("upgrade", t.UpgradeMs),
            ("pong", t.PingRttMs), ("first_message", t.FirstMessageRttMs),
        };
        text.Family("probe_ws_duration_seconds", Gauge, "Duration of each phase of the WebSocket probe (only the phases that ran)",
            [.. phases.Where(p => p.Ms is not null).Select(p => ((IReadOnlyList<(string, string)>)[("phase", p.Phase)], p.Ms!.Value / 1000))]);
        if (t.DnsMs is { } dns)
        {
            text.Gauge("probe_dns_lookup_time_seconds", "How long the DNS lookup took, in seconds", dns / 1000);
        }

        text.Gauge("probe_http_status_code", "Status of the HTTP upgrade answer (101 when upgraded; 0 when none arrived)", report.Connection.HttpStatus ?? 0);
        if (report.Connection.CertificateNotAfter is { } notAfter)
        {
            text.Gauge("probe_ssl_earliest_cert_expiry", "Expiry of the server's certificate, in Unix seconds", notAfter.ToUnixTimeSeconds());
        }

        if (report.Connection.TlsProtocol is { } tls)
        {
            text.Family("probe_tls_version_info", Gauge, "The TLS version negotiated", ([("version", tls)], 1));
        }

        if (t.PingRttMs is { } rtt)
        {
            text.Gauge("probe_ws_rtt_seconds", "Round trip of a WebSocket ping and its pong, in seconds", rtt / 1000);
        }

        var close = report.Findings.FirstOrDefault(f => f.Code == Codes.SessionClosedByServer)?.Data.GetValueOrDefault("closeCode");
        if (close is int code)
        {
            text.Gauge("probe_ws_close_code", "Close code the server sent (when it closed the connection)", code);
        }

        RootCause(text, report.RootCause is { } root ? (root.Code, root.Layer.Name()) : null);
        text.Family("probe_ws_finding_info", Gauge, "Every finding of the check, by catalogue code and severity",
            [.. report.Findings.Select(f => (f.Code, Severity: f.Severity.ToString().ToLowerInvariant())).Distinct()
                .Select(f => ((IReadOnlyList<(string, string)>)[("code", f.Code), ("severity", f.Severity)], 1.0))]);
    }

    /// <returns>The root cause of the first failing scenario, if any.</returns>
    public static string? Scenarios(IReadOnlyList<(string Scenario, ScenarioResult Result, IReadOnlyList<StepTiming> Steps)> runs, PrometheusText text)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(text);
        var durations = new List<(IReadOnlyList<(string, string)>, double)>();
        var successes = new List<(IReadOnlyList<(string, string)>, double)>();
        foreach (var (scenario, _, steps) in runs)
        {
            // A label set appears once per family: a step name used twice (two "send" steps, repeat iterations) is numbered.
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var step in steps)
            {
                var n = seen[step.Label] = seen.GetValueOrDefault(step.Label) + 1;
                IReadOnlyList<(string, string)> labels = [("scenario", scenario), ("step", n == 1 ? step.Label : $"{step.Label} #{n}")];
                durations.Add((labels, step.Duration.TotalSeconds));
                successes.Add((labels, step.Passed ? 1 : 0));
            }
        }

        text.Family("probe_ws_step_duration_seconds", Gauge, "Duration of each step of the module's scenario file", [.. durations]);
        text.Family("probe_ws_step_success", Gauge, "Whether each step of the module's scenario file passed", [.. successes]);
        var failed = runs.FirstOrDefault(r => !r.Result.Passed);
        var status = failed.Result?.Failure?.HttpStatus ?? runs.Select(r => r.Result.Connection?.StatusCode).FirstOrDefault(s => s is not null) ?? 0;
        text.Gauge("probe_http_status_code", "Status of the HTTP upgrade answer (101 when upgraded; 0 when none arrived)", status);
        if (failed.Result?.Failure?.CloseCode is { } code)
        {
            text.Gauge("probe_ws_close_code", "Close code the server sent (when it closed the connection)", code);
        }

        var rootCause = failed.Result is { } result ? ScenarioWatch.CodeOf(result) : null;
        RootCause(text, rootCause is null ? null : (rootCause, rootCause.Split('.')[0]));
        return rootCause;
    }

    private static void RootCause(PrometheusText text, (string Code, string Layer)? root) =>
        text.Family("probe_ws_root_cause_info", Gauge, "The root cause of a failed probe, as a catalogue code (wsdoctor explain CODE)",
            root is { } r ? [([("code", r.Code), ("layer", r.Layer)], 1)] : []);
}
