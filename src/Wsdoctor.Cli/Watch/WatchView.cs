using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.Watch.Analysis;
using Wsdoctor.Watch.Engine;
using Wsdoctor.Watch.Output;

namespace Wsdoctor.Cli.Watch;

/// <summary>What watch prints while it runs: one timeline line per open, drop, failed attempt and certificate change;
/// on a terminal also a status line redrawn in place once a second (state, uptime, drops, last RTT); with --jsonl
/// every event as one JSON object instead. Called from several tasks: one lock around the writer.</summary>
internal sealed class WatchView(TextWriter writer, bool terminal, bool jsonl)
{
    private readonly Lock gate = new();
    private bool statusShown;
    private bool connected;
    private TimeSpan since;
    private TimeSpan upBefore;
    private int drops;
    private int failures;
    private double? lastRtt;
    private string last = "";

    public void Event(WatchEvent e)
    {
        lock (gate)
        {
            Track(e);
            if (jsonl)
            {
                writer.WriteLine(WatchJson.Event(e));
                writer.Flush();
                return;
            }

            if (Line(e) is { } line)
            {
                ClearStatus();
                writer.WriteLine($"  {Stamp(e.Elapsed),8}  {line}");
                writer.Flush();
            }
        }
    }

    /// <summary>The status line, redrawn; a no-op off a terminal or with --jsonl.</summary>
    public void Tick(TimeSpan elapsed)
    {
        if (!terminal || jsonl)
        {
            return;
        }

        lock (gate)
        {
            var up = upBefore + (connected ? elapsed - since : TimeSpan.Zero);
            var uptime = elapsed > TimeSpan.Zero ? 100 * up.TotalSeconds / elapsed.TotalSeconds : 0;
            var rtt = lastRtt is { } r ? $" | rtt {r.ToString("0.0", CultureInfo.InvariantCulture)} ms" : "";
            var percent = uptime.ToString("0.0", CultureInfo.InvariantCulture);
            if (Zh)
            {
                var stateZh = connected ? $"已连接 {Stamp(elapsed - since)}" : "已断开";
                writer.Write($"\r\u001b[2K{Stamp(elapsed)} {stateZh} | 在线率 {percent} % | 断开 {drops} | 打开失败 {failures}{rtt}{(last.Length > 0 ? $" | 最近：{last}" : "")}");
            }
            else
            {
                var state = connected ? $"connected {Stamp(elapsed - since)}" : "disconnected";
                writer.Write($"\r\u001b[2K{Stamp(elapsed)} {state} | uptime {percent} % | drops {drops} | failed opens {failures}{rtt}{(last.Length > 0 ? $" | last: {last}" : "")}");
            }

            writer.Flush();
            statusShown = true;
        }
    }

    public void Finish()
    {
        lock (gate)
        {
            ClearStatus();
        }
    }

    private void ClearStatus()
    {
        if (statusShown)
        {
            writer.Write("\r\u001b[2K");
            statusShown = false;
        }
    }

    private void Track(WatchEvent e)
    {
        switch (e)
        {
            case OpenedEvent:
                connected = true;
                since = e.Elapsed;
                break;
            case DropEvent d:
                if (connected)
                {
                    upBefore += e.Elapsed - since;
                }

                connected = false;
                drops++;
                last = Zh ? $"{d.Drop.Code}，连接 {Seconds(d.Drop.AgeSeconds)} s 后" : $"{d.Drop.Code} after {Seconds(d.Drop.AgeSeconds)} s";
                break;
            case OpenFailedEvent f:
                failures++;
                last = f.Code;
                break;
            case RttEvent r:
                lastRtt = r.RttMs;
                break;
            case CertificateChangedEvent c:
                last = Zh ? $"{c.Change.Code}（{CertificateChanges.KindText(c.Change.Kind).Zh}）" : $"{c.Change.Code} ({CertificateChanges.Kind(c.Change.Kind)})";
                break;
        }
    }

    /// <summary>The output language (<see cref="LanguageOption.Current"/>), read when a line is written.</summary>
    private static bool Zh => LanguageOption.Current == UiLanguage.SimplifiedChinese;

    private static string? Line(WatchEvent e) => Zh ? LineZh(e) : e switch
    {
        OpenedEvent o => $"open #{o.Connection} {o.Remote} in {o.OpenMs.ToString("0.0", CultureInfo.InvariantCulture)} ms"
            + (o.Tls is { } tls ? $", {tls}" : "")
            + (o.Intermediary is { } via ? $", through {via}" : "")
            + (o.ReconnectMs is { } r ? $" (back {Seconds(r / 1000)} s after the drop)" : ""),
        DropEvent d => $"drop #{d.Drop.Connection} {d.Drop.Code}{(d.Drop.CloseCode is { } c ? $" {c}" : "")} after {Seconds(d.Drop.AgeSeconds)} s ({Seconds(d.Drop.SilentSeconds)} s silent, {How(d.Drop)}){(d.Drop.CloseReason.Length > 0 ? $" \"{d.Drop.CloseReason}\"" : "")}",
        OpenFailedEvent f => $"open failed (attempt {f.Attempt}): {f.Code}{(f.Detail is { } detail ? $" {detail}" : "")}: {f.Message.En}{(f.NextDelay is { } next ? $"; retry in {Seconds(next.TotalSeconds)} s" : "")}",
        CertificateChangedEvent c => $"{c.Change.Code} {CertificateChanges.Describe(c.Change)}",
        EndedEvent end => $"end: {end.Reason}",
        _ => null,
    };

    private static string? LineZh(WatchEvent e) => e switch
    {
        OpenedEvent o => $"打开 #{o.Connection} {o.Remote}，用时 {o.OpenMs.ToString("0.0", CultureInfo.InvariantCulture)} ms"
            + (o.Tls is { } tls ? $"，{tls}" : "")
            + (o.Intermediary is { } via ? $"，经过 {via}" : "")
            + (o.ReconnectMs is { } r ? $"（断开 {Seconds(r / 1000)} s 后恢复）" : ""),
        DropEvent d => $"断开 #{d.Drop.Connection} {d.Drop.Code}{(d.Drop.CloseCode is { } c ? $" {c}" : "")}，连接 {Seconds(d.Drop.AgeSeconds)} s 后（静默 {Seconds(d.Drop.SilentSeconds)} s，{HowZh(d.Drop)}）{(d.Drop.CloseReason.Length > 0 ? $" \"{d.Drop.CloseReason}\"" : "")}",
        OpenFailedEvent f => $"打开失败（第 {f.Attempt} 次尝试）：{f.Code}{(f.Detail is { } detail ? $" {detail}" : "")}：{f.Message.Zh}{(f.NextDelay is { } next ? $"；{Seconds(next.TotalSeconds)} s 后重试" : "")}",
        CertificateChangedEvent c => $"{c.Change.Code} {CertificateChanges.DescribeText(c.Change).Zh}",
        EndedEvent end => $"结束：{end.ReasonText.Zh}",
        _ => null,
    };

    private static string HowZh(Drop d) => d.Kind switch
    {
        DropKind.Close => "关闭帧",
        DropKind.Reset => "TCP RST",
        DropKind.NoPong => "没有 pong",
        _ => "TCP FIN，没有关闭帧",
    };

    private static string How(Drop d) => d.Kind switch
    {
        DropKind.Close => "Close frame",
        DropKind.Reset => "TCP RST",
        DropKind.NoPong => "no pong",
        _ => "TCP FIN, no Close frame",
    };

    internal static string Stamp(TimeSpan t) =>
        t.TotalHours >= 1 ? $"+{(int)t.TotalHours}h{t.Minutes:00}m{t.Seconds:00}s"
        : t.TotalMinutes >= 1 ? $"+{(int)t.TotalMinutes}m{t.Seconds:00}s"
        : $"+{t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";

    internal static string Seconds(double s) => s.ToString(s < 10 ? "0.0" : "0.#", CultureInfo.InvariantCulture);
}
