using System.Globalization;
using System.Text;

namespace Wsdoctor.Bench.Results;

/// <summary>The tables that go into docs/performance.md between the results markers, and on the console.</summary>
public static class MarkdownReport
{
    // Above this average share of a core used by other processes, the run is flagged as noisy.
    private const double NoisyPercent = 15;

    public static string Render(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Machine;
        var s = report.Settings;
        var text = new StringBuilder();
        Line(text, $"Measured {report.StartedUtc:yyyy-MM-dd HH:mm} UTC in {report.WallSeconds:0} s with `{report.Command}`.");
        Line(text, "");
        Line(text, $"- machine: {m.Cores} cores ({m.Cpu}), {m.MemoryMiB / 1024.0:0.#} GiB RAM, Linux {m.Kernel}");
        Line(text, $"- .NET: {m.DotnetRuntime}; serve runs with the {m.ServeGc} GC");
        Line(text, $"- Node: {m.NodeVersion}, ws {m.WsVersion} (perMessageDeflate off, no bufferutil: masking in JavaScript)");
        Line(text, $"- Go gorilla: {Peer(m, "go")}, golang-github-gorilla-websocket-dev {Peer(m, "gorilla/websocket")}; Python websockets {Peer(m, "websockets")} ({Peer(m, "python")}); tcp-echo: gcc {Peer(m, "gcc")} -O2, one epoll thread");
        Line(text, $"- generators: artillery {Peer(m, "artillery")} (on {m.NodeVersion}), {Peer(m, "tsung")} (Erlang {Peer(m, "erlang")}), the Node ws client on ws {m.WsVersion}");
        Line(text, $"- load average (1, 5, 15 min, runnable/threads, last pid) before: `{report.LoadAverageBefore}`, after: `{report.LoadAverageAfter}`");
        Line(text, $"- each throughput run: {s.WarmUpSeconds:0.#} s warm-up, then {s.DurationSeconds:0.#} s measured; servers alternate run by run");
        if (report.Throughput.Count > 0)
        {
            var other = report.Throughput.Average(r => r.OtherProcessesCpuPercent);
            Line(text, other > NoisyPercent
                ? $"- **noisy machine**: other processes used {other:0}% of a core on average during the measured windows, so msg/s and latency are rough; server CPU µs/msg is the steadier comparison"
                : $"- quiet machine: other processes used {other:0}% of a core on average during the measured windows");
        }

        Line(text, "");
        Line(text, "Echo throughput, closed loop (each connection sends one binary message and waits for its echo); "
            + "MB/s is payload per direction (10^6 bytes); latency is the round trip seen by the load generator; "
            + "server CPU is user+system time of the server process over the measured window; "
            + "\"other CPU\" is what the rest of the machine used meanwhile (should be ~0% on a quiet machine).");
        Line(text, "");
        Line(text, "tcp-echo is the raw TCP reference: the same payload bytes echoed with no WebSocket framing (the load generator sends and reads them on a plain socket); \"× tcp\" is the server's CPU per message over tcp-echo's in the same row.");
        Line(text, "");
        Line(text, "| conns | msg | server | msg/s | MB/s | p50 µs | p90 µs | p99 µs | max µs | server CPU µs/msg | × tcp | server CPU | loadgen CPU | other CPU | errors |");
        Line(text, "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Throughput)
        {
            var l = r.LatencyMicroseconds;
            var tcp = report.Throughput.FirstOrDefault(t => t.Server == "tcp-echo" && t.Connections == r.Connections && t.MessageBytes == r.MessageBytes);
            var overTcp = tcp is { ServerCpuMicrosecondsPerMessage: > 0 } ? $"{r.ServerCpuMicrosecondsPerMessage / tcp.ServerCpuMicrosecondsPerMessage:0.0}" : "";
            Line(text, $"| {r.Connections} | {Size(r.MessageBytes)} | {r.Server} | {r.MessagesPerSecond:N0} | {r.MegabytesPerSecond:N1} | {l.P50:N0} | {l.P90:N0} | {l.P99:N0} | {l.Max:N0} | {r.ServerCpuMicrosecondsPerMessage:N1} | {overTcp} | {r.ServerCpuPercent:0}% | {r.LoadGeneratorCpuPercent:0}% | {r.OtherProcessesCpuPercent:0}% | {r.Errors} |");
        }

        Line(text, "");
        Line(text, $"Memory per idle connection: a fresh server process, warmed up, then {s.IdleConnections} silent connections held open; "
            + $"RSS (VmRSS) read {s.SettleSeconds:0.#} s after the last one opened, minus RSS before; \"after close\" is RSS {s.SettleSeconds:0.#} s after all were closed again.");
        Line(text, "");
        Line(text, "| server | established | RSS before | RSS with idle | peak (VmHWM) | per connection | RSS after close | threads before → with idle | errors |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Idle)
        {
            var logged = r.ServerLoggedAccepts is { } accepts ? $" ({accepts} accept events logged)" : "";
            Line(text, $"| {r.Server} | {r.Established}/{r.Requested}{logged} | {MiB(r.RssBeforeKiB)} | {MiB(r.RssWithIdleKiB)} | {MiB(r.HwmWithIdleKiB)} | {r.KiBPerConnection:N1} KiB | {MiB(r.RssAfterCloseKiB)} | {r.ThreadsBefore} → {r.ThreadsWithIdle} | {r.Errors} |");
        }

        if (report.Generators.Count > 0)
        {
            Line(text, "");
            Line(text, $"Load generators on the same server (gorilla), closed loop, {Size(s.GeneratorMessageBytes)} messages: messages counted by the server (GET /messages) over {s.DurationSeconds:0.#} s after a {s.WarmUpSeconds + 1:0.#} s warm-up; generator CPU is user+system time of every process in the generator's process group; \"÷ best other\" is wsdoctor's CPU per message over the cheapest other generator's at the same connection count.");
            Line(text, "");
            Line(text, "| conns | generator | msg/s | generator CPU µs/msg | ÷ best other | generator CPU | server CPU | other CPU | processes | error |");
            Line(text, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in report.Generators)
            {
                var best = report.Generators.Where(g => g.Connections == r.Connections && g.Generator != "wsdoctor" && g.Error is null && g.GeneratorCpuMicrosecondsPerMessage > 0)
                    .Select(g => g.GeneratorCpuMicrosecondsPerMessage).DefaultIfEmpty(0).Min();
                var ratio = r.Generator == "wsdoctor" && best > 0 && r.Error is null ? $"{r.GeneratorCpuMicrosecondsPerMessage / best:0.00}" : "";
                Line(text, r.Error is null
                    ? $"| {r.Connections} | {r.Generator} | {r.MessagesPerSecond:N0} | {r.GeneratorCpuMicrosecondsPerMessage:N1} | {ratio} | {r.GeneratorCpuPercent:0}% | {r.ServerCpuPercent:0}% | {r.OtherProcessesCpuPercent:0}% | {r.GeneratorProcesses} | |"
                    : $"| {r.Connections} | {r.Generator} | | | | | | | | {r.Error.Split('\n')[0]} |");
            }
        }

        var errors = report.Throughput.SelectMany(r => r.ErrorSamples.Select(e => $"{r.Server} {r.Connections}×{Size(r.MessageBytes)}: {e}"))
            .Concat(report.Idle.SelectMany(r => r.ErrorSamples.Select(e => $"{r.Server} idle: {e}")))
            .Concat(report.Generators.Where(r => r.Error is not null).Select(r => $"generator {r.Generator} {r.Connections} conns: {r.Error}"))
            .Take(10)
            .ToList();
        if (errors.Count > 0)
        {
            Line(text, "");
            Line(text, "First errors:");
            Line(text, "");
            foreach (var error in errors)
            {
                Line(text, $"- {error}");
            }
        }

        return text.ToString();
    }

    private static string Peer(Sampling.MachineInfo m, string name) => m.Peers.TryGetValue(name, out var v) ? v : "unknown";

    private static string Size(int bytes) => bytes >= 1024 && bytes % 1024 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} B");

    private static string MiB(long kib) => string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0:0.0} MiB");

    private static void Line(StringBuilder text, string line) => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
