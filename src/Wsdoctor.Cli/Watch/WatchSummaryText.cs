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
        if (LanguageOption.Current == UiLanguage.SimplifiedChinese)
        {
            RenderZh(s, target, w);
            return;
        }

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
        if (s.CertificateChangeCount > 0)
        {
            w.WriteLine($"  certificate    changed {s.CertificateChangeCount} time(s): {string.Join(", ", s.CertificateChanges.Take(20).Select(c => $"{CertificateChanges.Kind(c.Kind)} at #{c.Connection}"))}");
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
        var zh = LanguageOption.Current == UiLanguage.SimplifiedChinese;
        w.WriteLine();
        var verdict = s.Runs > 0 && s.Passed == s.Runs ? "OK" : "FAIL";
        w.WriteLine(zh
            ? $"{verdict} {file}：{Seconds(s.Duration.TotalSeconds)} s 内 {s.Runs} 次运行中 {s.Passed} 次通过（{Pct(s.AvailabilityPercent)} %）{(s.Interrupted ? "（已中断）" : "")}"
            : $"{verdict} {file}: {s.Passed}/{s.Runs} run(s) passed ({Pct(s.AvailabilityPercent)} %) in {Seconds(s.Duration.TotalSeconds)} s{(s.Interrupted ? " (interrupted)" : "")}");
        foreach (var (step, spread) in s.StepMs)
        {
            w.WriteLine($"  {step,-40} {(zh ? SpreadZh(spread, "次运行") : Spread(spread, "run(s)"))}");
        }

        foreach (var (cause, count) in s.Failures)
        {
            w.WriteLine($"  ✗ {(zh ? cause.Zh : cause.En)} ×{count}");
        }

        foreach (var f in s.Findings)
        {
            RenderFinding(f, w);
        }
    }

    /// <summary>The summary in Chinese: the same lines, the labels two columns per character.</summary>
    private static void RenderZh(WatchSummary s, string target, TextWriter w)
    {
        var none = "无";
        w.WriteLine();
        w.WriteLine($"{Verdict(s)} {target}：观察了 {Seconds(s.Duration.TotalSeconds)} s（{s.EndReasonText?.Zh ?? s.EndReason}）");
        w.WriteLine($"  在线率         {Pct(s.UptimePercent)} %（已连接 {Seconds(s.Connected.TotalSeconds)} s，{s.Connections} 个连接{(s.Intermediary is { } via ? $"，经过 {via}" : "")}）");
        w.WriteLine($"  断开           {(s.DropCount == 0 ? none : $"{s.DropCount}：{string.Join(", ", s.DropsByCause.Select(c => $"{c.Cause} ×{c.Count}"))}")}");
        if (s.Drops.Count > 0)
        {
            w.WriteLine($"  断开时连接时长 {string.Join(", ", s.Drops.Take(20).Select(d => Seconds(d.AgeSeconds)))}{(s.Drops.Count > 20 ? ", …" : "")} s");
            w.WriteLine($"  断开前静默     {string.Join(", ", s.Drops.Take(20).Select(d => Seconds(d.SilentSeconds)))}{(s.Drops.Count > 20 ? ", …" : "")} s");
        }

        w.WriteLine($"  打开失败       {(s.OpenFailures.Count == 0 ? none : string.Join(", ", s.OpenFailures.Select(c => $"{c.Cause} ×{c.Count}")))}");
        w.WriteLine($"  重连           {SpreadZh(s.Reconnect, "次重连")}");
        w.WriteLine($"  rtt            {SpreadZh(s.Rtt, "个 pong")}");
        if (s.CertificateChangeCount > 0)
        {
            w.WriteLine($"  证书           变化了 {s.CertificateChangeCount} 次：{string.Join(", ", s.CertificateChanges.Take(20).Select(c => $"#{c.Connection} {CertificateChanges.KindText(c.Kind).Zh}"))}");
        }

        foreach (var f in s.Findings)
        {
            RenderFinding(f, w);
        }

        if (s.Diagnosis?.RootCause is { } root)
        {
            w.WriteLine();
            w.WriteLine("  观察结束时端点仍无法访问；check 的诊断：");
            RenderFinding(root, w);
        }

        if (s.Healthy)
        {
            w.WriteLine();
            w.WriteLine($"  {Seconds(s.Duration.TotalSeconds)} s 内没有断开：这条路径上没有短于这个时长的空闲超时或最大连接时长");
        }
    }

    private static void RenderFinding(Finding f, TextWriter w)
    {
        var language = LanguageOption.Current;
        var zh = language == UiLanguage.SimplifiedChinese;
        // The labels line up in a terminal: each Chinese character takes two columns.
        var (evidence, fix, more) = zh ? ("证据：   ", "修复：    ", "详见：    ") : ("evidence:", "fix:      ", "more:     ");
        w.WriteLine();
        w.WriteLine($"{(f.Severity == Severity.Error ? "✗" : "!")} {f.Code}  {f.Message.In(language)}");
        var first = true;
        foreach (var line in f.Evidence)
        {
            w.WriteLine($"    {(first ? evidence : "         ")} {line.In(language)}");
            first = false;
        }

        w.WriteLine($"    {fix}{f.Fix.In(language)}");
        w.WriteLine($"    {more}{(zh ? $"wsdoctor explain {f.Code} --lang zh-CN" : $"wsdoctor explain {f.Code}")}");
    }

    private static string Verdict(WatchSummary s) => s.Healthy ? "OK" : s.Connections == 0 ? "FAIL" : s.DropCount > 0 ? "DROPS" : "FAILED OPENS";

    private static string Spread(Spread s, string what) => s.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Ms(s.P50)}  p90 {Ms(s.P90)}  p99 {Ms(s.P99)}  max {Ms(s.Max)} ({s.Count} {what})");

    private static string SpreadZh(Spread s, string what) => s.Count == 0
        ? "无"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Ms(s.P50)}  p90 {Ms(s.P90)}  p99 {Ms(s.P99)}  max {Ms(s.Max)}（{s.Count} {what}）");

    private static string Ms(double ms) => ms >= 1000 ? $"{(ms / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s" : $"{ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture)} ms";

    private static string Pct(double p) => p.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Seconds(double s) => WatchView.Seconds(s);
}
