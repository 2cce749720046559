using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Scenarios;

namespace Wsdoctor.Cli.Watch;

/// <summary>The summary watch prints at the end (or on Ctrl-C): uptime, drops by cause, time to each drop, reconnect
/// times, RTT percentiles, then the pattern with its evidence and fix.</summary>
internal static class WatchSummaryText
{
    public static void Render(WatchSummary s, string target, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"{Verdict(s)} {target} watched for {Seconds(s.Duration.TotalSeconds)} s ({s.EndReason})");
        w.WriteLine($"  uptime         {Pct(s.UptimePercent)} % ({Seconds(s.Connected.TotalSeconds)} s connected, {s.Connections} connection(s){(s.Intermediary is { } via ? $", through {via}" : "")})");
        w.WriteLine($"  drops          {(s.DropCount == 0 ? "none" : $"{s.DropCount}: {string.Join(", ", s.DropsByCause.Select(c => $"{c.Cause} ×{c.Count}"))}")}");
        if (s.Drops.Count > 0)
        {
            w.WriteLine($"  time to drop   {string.Join(", ", s.Drops.Take(20).Select(d => Seconds(d.AgeSeconds)))}{(s.Drops.Count > 20 ? ", …" : "")} s");
            w.WriteLine($"  silence before {string.Join(", ", s.Drops.Take(20).Select(d => Seconds(d.SilentSeconds)))}{(s.Drops.Count > 20 ? ", …" : "")} s");
        }

        w.WriteLine($"  failed opens   {(s.OpenFailures.Count == 0 ? "none" : string.Join(", ", s.OpenFailures.Select(c => $"{c.Cause} ×{c.Count}")))}");
        w.WriteLine($"  reconnect      {Spread(s.Reconnect, "reconnect(s)")}");
        w.WriteLine($"  rtt            {Spread(s.Rtt, "pong(s)")}");
        if (s.CertificateChanges > 0)
        {
            w.WriteLine($"  certificate    changed {s.CertificateChanges} time(s)");
        }

        foreach (var f in s.Findings)
        {
            RenderFinding(f, w);
        }

        if (s.Diagnosis?.RootCause is { } root)
        {
            w.WriteLine();
            w.WriteLine("  the endpoint was unreachable at the end; check says:");
            RenderFinding(root, w);
        }

        if (s.Healthy)
        {
            w.WriteLine();
            w.WriteLine($"  no drop in {Seconds(s.Duration.TotalSeconds)} s: no idle timeout or maximum age shorter than that on this path");
        }
    }

    public static void Render(ScenarioWatchSummary s, string file, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"{(s.Runs > 0 && s.Passed == s.Runs ? "OK" : "FAIL")} {file}: {s.Passed}/{s.Runs} run(s) passed ({Pct(s.AvailabilityPercent)} %) in {Seconds(s.Duration.TotalSeconds)} s{(s.Interrupted ? " (interrupted)" : "")}");
        foreach (var (step, spread) in s.StepMs)
        {
            w.WriteLine($"  {step,-40} {Spread(spread, "run(s)")}");
        }

        foreach (var (cause, count) in s.Failures)
        {
            w.WriteLine($"  ✗ {cause} ×{count}");
        }
    }

    private static void RenderFinding(Finding f, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"{(f.Severity == Severity.Error ? "✗" : "!")} {f.Code}  {f.Message}");
        var first = true;
        foreach (var line in f.Evidence)
        {
            w.WriteLine($"    {(first ? "evidence:" : "         ")} {line}");
            first = false;
        }

        w.WriteLine($"    fix:      {f.Fix}");
        w.WriteLine($"    more:     wsdoctor explain {f.Code}");
    }

    private static string Verdict(WatchSummary s) => s.Healthy ? "OK" : s.Connections == 0 ? "FAIL" : s.DropCount > 0 ? "DROPS" : "FAILED OPENS";

    private static string Spread(Spread s, string what) => s.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Ms(s.P50)}  p90 {Ms(s.P90)}  p99 {Ms(s.P99)}  max {Ms(s.Max)} ({s.Count} {what})");

    private static string Ms(double ms) => ms >= 1000 ? $"{(ms / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s" : $"{ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture)} ms";

    private static string Pct(double p) => p.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Seconds(double s) => WatchView.Seconds(s);
}
