using System.Globalization;
using Spectre.Console;
using Wsdoctor.Load.Latency;
using Wsdoctor.Load.Runs;

namespace Wsdoctor.Cli.Bench;

/// <summary>The text report of a run or a merge: what was run, throughput, latency percentiles, connections,
/// errors by catalogue code (each with `wsdoctor explain CODE`), the SLO gates.</summary>
public static class BenchText
{
    public static void Render(LoadReport report, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        var s = report.Settings;
        var loop = s.Rate is { } rate ? $"open loop at {Number(rate)} msg/s" : "closed loop";
        var shard = report.Shard is { } sh ? $", shard {sh}" : report.MergedShards.Count > 0 ? $", merged from shards {string.Join(' ', report.MergedShards)}" : "";
        console.MarkupLine($"[bold]wsdoctor bench[/] {Markup.Escape(s.Target)} — {s.Connections} connections, {loop}, {Seconds(report.MeasuredSeconds)} measured{Markup.Escape(shard)}");
        if (report.Interrupted)
        {
            console.MarkupLine("[yellow]interrupted: the report covers the run until Ctrl-C[/]");
        }

        if (report.DeadlineExceeded)
        {
            console.MarkupLine("[yellow]the run hit its --deadline: the report covers the run until then[/]");
        }

        Line(console, "conversation", $"{s.Conversation} (handshake: {s.OpenPath}{(s.Compress ? ", permessage-deflate offered" : "")}{(s.Churn ? $", churn: reconnect every {s.ChurnExchanges} exchange(s)" : "")})");
        var m = report.Messages;
        Line(console, "messages", $"{Number(m.Count)} in the window ({Number(m.PerSecond)} msg/s); sent {Size(m.BytesSent)}, received {Size(m.BytesReceived)} ({Size(m.BytesSent / Math.Max(report.MeasuredSeconds, 1e-9))}/s out); {Number(m.TotalExchanges)} exchanges in all");
        Line(console, "latency", Percentiles(report.Latency.Microseconds));
        var width = report.Steps.Select(step => step.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var step in report.Steps.Count > 1 ? report.Steps : [])
        {
            // Step names are the scenario's labels: padded to the longest, so the percentiles line up.
            console.MarkupLine($"    {Markup.Escape(step.Name.PadRight(width))}  {Markup.Escape(Percentiles(step.Latency.Microseconds))}");
        }

        Line(console, "handshake", $"{Percentiles(report.Handshake.Microseconds)} ({Number(report.Handshake.Microseconds.Count)} handshakes)");
        var c = report.Connections;
        Line(console, "connections", $"{c.Requested} requested, {Number(c.Opened)} opened, peak {c.PeakOpen} open at once, {Number(c.ClosedCleanly)} closed cleanly");
        if (report.Hold is { } hold)
        {
            Line(console, "hold", $"{hold.Established} of {hold.Requested} held connections established (heartbeat every {s.HeartbeatSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s), {hold.OpenAtEnd} still open at the end, {hold.Lost} lost");
        }

        if (report.OpenLoop is { } open)
        {
            var verdict = open.KeptUp
                ? "[green]kept up[/]"
                : $"[red]could not keep up[/]: {Markup.Escape(Number(open.SentRate))} of {Markup.Escape(Number(open.RequestedRate))} msg/s were sent; the replies were too slow for this many connections (add -c, or the target is saturated)";
            console.MarkupLine($"  {"open loop",-13}requested {Markup.Escape(Number(open.RequestedRate))} msg/s, sent {Markup.Escape(Number(open.SentRate))} msg/s, sends up to {Markup.Escape(Latency(open.MaxSendLagMs * 1000))} behind schedule — {verdict}");
        }

        if (report.ErrorCount == 0)
        {
            Line(console, "errors", "none");
        }
        else
        {
            console.MarkupLine($"  {"errors",-13}[red]{Number(report.ErrorCount)}[/] ({(report.ErrorRate * 100).ToString("0.###", CultureInfo.InvariantCulture)}% of operations)");
            foreach (var error in report.Errors)
            {
                var code = error.Detail is null ? error.Code : $"{error.Code} {error.Detail}";
                console.MarkupLine($"    {Number(error.Count),8}  [bold]{Markup.Escape(code)}[/] during {Markup.Escape(error.Stage.ToString().ToLowerInvariant())}: {Markup.Escape(error.Sample)}");
            }

            var codes = string.Join(", ", report.Errors.Select(e => e.Code).Distinct().Take(3));
            console.MarkupLine($"  [grey]what each code means and how to fix it: wsdoctor explain CODE ({Markup.Escape(codes)})[/]");
        }

        foreach (var gate in report.Gates)
        {
            console.MarkupLine($"  {(gate.Passed ? "[green]SLO pass[/]" : "[red]SLO FAIL[/]")}  --{Markup.Escape(gate.Gate)}: {Markup.Escape(gate.Reason)}");
        }
    }

    public static string Percentiles(LatencySummary l) => l.Count == 0
        ? "none measured"
        : $"p50 {Latency(l.P50)}  p75 {Latency(l.P75)}  p90 {Latency(l.P90)}  p99 {Latency(l.P99)}  p99.9 {Latency(l.P999)}  p99.99 {Latency(l.P9999)}  max {Latency(l.Max)}";

    /// <summary>Microseconds as a person reads them: µs below 1 ms, then ms, then s.</summary>
    public static string Latency(double microseconds) =>
        microseconds < 1000 ? $"{microseconds.ToString("0", CultureInfo.InvariantCulture)} µs"
        : microseconds < 1_000_000 ? $"{(microseconds / 1000).ToString(microseconds < 10_000 ? "0.00" : "0.0", CultureInfo.InvariantCulture)} ms"
        : $"{(microseconds / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture)} s";

    public static string Number(double value) => value.ToString(value >= 100 || value == Math.Floor(value) ? "N0" : "N1", CultureInfo.InvariantCulture);

    public static string Size(double bytes) =>
        bytes < 1e3 ? $"{bytes.ToString("0", CultureInfo.InvariantCulture)} B"
        : bytes < 1e6 ? $"{(bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture)} kB"
        : bytes < 1e9 ? $"{(bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} MB"
        : $"{(bytes / 1e9).ToString("0.00", CultureInfo.InvariantCulture)} GB";

    private static string Seconds(double seconds) => $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";

    private static void Line(IAnsiConsole console, string label, string text) =>
        console.MarkupLine($"  {Markup.Escape(label),-13}{Markup.Escape(text)}");
}
