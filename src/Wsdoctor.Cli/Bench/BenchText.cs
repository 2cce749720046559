using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using Wsdoctor.Findings;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Latency;
using Wsdoctor.Load.Runs;
using static Wsdoctor.Findings.Text;
using Text = Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary>The text report of a run or a merge: what was run, throughput, latency percentiles, connections,
/// errors by catalogue code (each with `wsdoctor explain CODE`), the SLO gates; in the command's language
/// (<see cref="LanguageOption.Current"/>). The JSON report stays English.</summary>
public static partial class BenchText
{
    private const int LabelWidth = 13;

    public static void Render(LoadReport report, IAnsiConsole console, string language)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(console);
        string In(Text text) => Markup.Escape(text.In(language));
        var s = report.Settings;
        var loop = s.Rate is { } rate ? T($"open loop at {Number(rate)} msg/s", $"开环，{Number(rate)} msg/s") : T("closed loop", "闭环");
        var shard = report.Shard is { } sh ? T($", shard {sh}", $"，分片 {sh}")
            : report.MergedShards.Count > 0 ? T($", merged from shards {string.Join(' ', report.MergedShards)}", $"，由分片 {string.Join(' ', report.MergedShards)} 合并")
            : Empty;
        console.MarkupLine($"[bold]wsdoctor bench[/] {Markup.Escape(s.Target)} — " +
            In(T($"{s.Connections} connections, {loop}, {Seconds(report.MeasuredSeconds)} measured{shard}", $"{s.Connections} 个连接，{loop}，测量 {Seconds(report.MeasuredSeconds)}{shard}")));
        if (report.Interrupted)
        {
            console.MarkupLine($"[yellow]{In(T("interrupted: the report covers the run until Ctrl-C", "已中断：报告只涵盖按下 Ctrl-C 之前的运行"))}[/]");
        }

        if (report.DeadlineExceeded)
        {
            console.MarkupLine($"[yellow]{In(T("the run hit its --deadline: the report covers the run until then", "运行到达了 --deadline：报告只涵盖此前的运行"))}[/]");
        }

        var compress = s.Compress ? T(", permessage-deflate offered", "，请求了 permessage-deflate") : Empty;
        var churn = s.Churn ? T($", churn: reconnect every {s.ChurnExchanges} exchange(s)", $"，churn：每 {s.ChurnExchanges} 次收发重连一次") : Empty;
        Line(console, language, T("conversation", "收发方式"), T($"{Conversation(s.Conversation)} (handshake: {s.OpenPath}{compress}{churn})", $"{Conversation(s.Conversation)}（握手：{s.OpenPath}{compress}{churn}）"));
        var m = report.Messages;
        Line(console, language, T("messages", "消息"), T(
            $"{Number(m.Count)} in the window ({Number(m.PerSecond)} msg/s); sent {Size(m.BytesSent)}, received {Size(m.BytesReceived)} ({Size(m.BytesSent / Math.Max(report.MeasuredSeconds, 1e-9))}/s out); {Number(m.TotalExchanges)} exchanges in all",
            $"测量窗口内 {Number(m.Count)} 条（{Number(m.PerSecond)} msg/s）；发送 {Size(m.BytesSent)}，接收 {Size(m.BytesReceived)}（发出 {Size(m.BytesSent / Math.Max(report.MeasuredSeconds, 1e-9))}/s）；共收发 {Number(m.TotalExchanges)} 次"));
        Line(console, language, T("latency", "延迟"), PercentilesText(report.Latency.Microseconds));
        var width = report.Steps.Select(step => step.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var step in report.Steps.Count > 1 ? report.Steps : [])
        {
            // Step names are the scenario's labels: padded to the longest, so the percentiles line up.
            console.MarkupLine($"    {Markup.Escape(step.Name.PadRight(width))}  {Markup.Escape(Percentiles(step.Latency.Microseconds, language))}");
        }

        Line(console, language, T("handshake", "握手"), T(
            $"{Percentiles(report.Handshake.Microseconds, language)} ({Number(report.Handshake.Microseconds.Count)} handshakes)",
            $"{Percentiles(report.Handshake.Microseconds, language)}（{Number(report.Handshake.Microseconds.Count)} 次握手）"));
        var c = report.Connections;
        Line(console, language, T("connections", "连接"), T(
            $"{c.Requested} requested, {Number(c.Opened)} opened, peak {c.PeakOpen} open at once, {Number(c.ClosedCleanly)} closed cleanly",
            $"请求 {c.Requested} 个，建立 {Number(c.Opened)} 个，同时打开最多 {c.PeakOpen} 个，正常关闭 {Number(c.ClosedCleanly)} 个"));
        if (report.Hold is { } hold)
        {
            var heartbeat = s.HeartbeatSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            Line(console, language, T("hold", "保持"), T(
                $"{hold.Established} of {hold.Requested} held connections established (heartbeat every {heartbeat} s), {hold.OpenAtEnd} still open at the end, {hold.Lost} lost",
                $"要保持的 {hold.Requested} 个连接中建立了 {hold.Established} 个（心跳间隔 {heartbeat} s），结束时仍打开 {hold.OpenAtEnd} 个，丢失 {hold.Lost} 个"));
        }

        if (report.OpenLoop is { } open)
        {
            var sent = Number(open.SentRate);
            var requested = Number(open.RequestedRate);
            var verdict = open.KeptUp
                ? $"[green]{In(T("kept up", "跟上了"))}[/]"
                : $"[red]{In(T("could not keep up", "没能跟上"))}[/]" + In(T(
                    $": {sent} of {requested} msg/s were sent; the replies were too slow for this many connections (add -c, or the target is saturated)",
                    $"：只发出了 {sent} msg/s（要求 {requested} msg/s）；对这么多连接来说回复太慢（请加大 -c，或者目标已经饱和）"));
            var lag = Latency(open.MaxSendLagMs * 1000);
            console.MarkupLine($"  {Label(T("open loop", "开环"), language)}" + In(T(
                $"requested {requested} msg/s, sent {sent} msg/s, sends up to {lag} behind schedule — ",
                $"要求 {requested} msg/s，实际发出 {sent} msg/s，发送最多比计划晚 {lag} — ")) + verdict);
        }

        if (report.ErrorCount == 0)
        {
            Line(console, language, T("errors", "错误"), T("none", "无"));
        }
        else
        {
            var share = (report.ErrorRate * 100).ToString("0.###", CultureInfo.InvariantCulture);
            console.MarkupLine($"  {Label(T("errors", "错误"), language)}[red]{Number(report.ErrorCount)}[/]" + In(T($" ({share}% of operations)", $"（占操作的 {share}%）")));
            foreach (var error in report.Errors)
            {
                var code = error.Detail is null ? error.Code : $"{error.Code} {error.Detail}";
                console.MarkupLine($"    {Number(error.Count),8}  [bold]{Markup.Escape(code)}[/]" + In(T($" during {Stage(error.Stage)}: ", $"，{Stage(error.Stage)}阶段：")) + Markup.Escape(In(Sample(error))));
            }

            var codes = string.Join(", ", report.Errors.Select(e => e.Code).Distinct().Take(3));
            console.MarkupLine($"  [grey]{In(T($"what each code means and how to fix it: wsdoctor explain CODE ({codes})", $"每个错误码的含义和修复方法：wsdoctor explain CODE（{codes}）"))}[/]");
        }

        foreach (var gate in report.Gates)
        {
            var verdict = gate.Passed ? $"[green]{In(T("SLO pass", "SLO 通过"))}[/]" : $"[red]{In(T("SLO FAIL", "SLO 未通过"))}[/]";
            console.MarkupLine($"  {verdict}  --{Markup.Escape(gate.Gate)}: {In(SloGates.Reason(gate, report))}");
        }
    }

    public static string Percentiles(LatencySummary l) => Percentiles(l, UiLanguage.English);

    public static string Percentiles(LatencySummary l, string language) => PercentilesText(l).In(language);

    private static Text PercentilesText(LatencySummary l) => l.Count == 0
        ? T("none measured", "没有测到")
        : T($"p50 {Latency(l.P50)}  p75 {Latency(l.P75)}  p90 {Latency(l.P90)}  p99 {Latency(l.P99)}  p99.9 {Latency(l.P999)}  p99.99 {Latency(l.P9999)}  max {Latency(l.Max)}",
            $"p50 {Latency(l.P50)}，p75 {Latency(l.P75)}，p90 {Latency(l.P90)}，p99 {Latency(l.P99)}，p99.9 {Latency(l.P999)}，p99.99 {Latency(l.P9999)}，最大 {Latency(l.Max)}");

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

    /// <summary>The report's conversation (the driver's English description, as the JSON carries it, so a merged
    /// report reads the same) in both languages. The forms are those the drivers write (MessageSource, EchoDriver,
    /// bench's --payload file, ScenarioDriver); another form is shown as it is.</summary>
    public static Text Conversation(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        var echo = EchoForm().Match(english);
        if (echo.Success)
        {
            var source = Source(echo.Groups["source"].Value);
            var reply = echo.Groups["pattern"].Success
                ? T($"first text message matching /{echo.Groups["pattern"].Value}/", $"第一条匹配 /{echo.Groups["pattern"].Value}/ 的文本消息")
                : T("echo, verified byte for byte", "回显，逐字节校验");
            return T($"{source}; reply: {reply}", $"{source}；回复：{reply}");
        }

        var scenario = ScenarioForm().Match(english);
        if (scenario.Success)
        {
            var name = scenario.Groups["name"].Value;
            var path = scenario.Groups["path"].Value;
            var steps = scenario.Groups["steps"].Value;
            return T(english, $"场景“{name}”（{path}），每次收发 {steps} 个步骤");
        }

        return Verbatim(english);
    }

    private static Text Source(string english)
    {
        var kind = english.StartsWith("text ", StringComparison.Ordinal) ? T("text", "文本") : T("binary", "二进制");
        var rest = english[(english.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        if (TemplateForm().Match(rest) is { Success: true } template)
        {
            var bytes = template.Groups["bytes"].Value;
            return T($"{kind} template ({bytes} B + placeholders)", $"{kind}模板（{bytes} B + 占位符）");
        }

        if (FileForm().Match(rest) is { Success: true } file)
        {
            var name = file.Groups["name"].Value;
            var bytes = file.Groups["bytes"].Value;
            return T($"{kind} file {name} ({bytes} B)", $"{kind}文件 {name}（{bytes} B）");
        }

        // Sizes: "32 B", "32 B×9, 4096 B×1".
        return T($"{kind} {rest}", $"{kind}消息 {rest}");
    }

    private static Text Stage(ErrorStage stage) => stage switch
    {
        ErrorStage.Connect => T("connect", "连接"),
        ErrorStage.Message => T("message", "消息"),
        ErrorStage.Hold => T("hold", "保持"),
        _ => T("close", "关闭"),
    };

    private static string Seconds(double seconds) => $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";

    /// <summary>A label padded to the column of the values; a Chinese character takes two cells.</summary>
    private static string Label(Text label, string language)
    {
        var text = label.In(language);
        return Markup.Escape(text) + new string(' ', Math.Max(1, LabelWidth - Cells(text)));
    }

    /// <summary>The terminal cells a text takes: two for a CJK character, one for anything else.</summary>
    internal static int Cells(string text) => text.Sum(ch => ch >= '\u2E80' ? 2 : 1);

    /// <summary>Pads on the right to <paramref name="cells"/> terminal cells.</summary>
    internal static string PadCells(string text, int cells) => text + new string(' ', Math.Max(0, cells - Cells(text)));

    private static void Line(IAnsiConsole console, string language, Text label, Text text) =>
        console.MarkupLine($"  {Label(label, language)}{Markup.Escape(text.In(language))}");

    [GeneratedRegex(@"^(?<source>(?:text|binary) .+); reply: (?:echo, verified byte for byte|first text message matching /(?<pattern>.*)/)$", RegexOptions.Singleline)]
    private static partial Regex EchoForm();

    [GeneratedRegex(@"^scenario '(?<name>.*)' \((?<path>.*)\), (?<steps>\d+) steps? per exchange$", RegexOptions.Singleline)]
    private static partial Regex ScenarioForm();

    [GeneratedRegex(@"^template \((?<bytes>\d+) B \+ placeholders\)$")]
    private static partial Regex TemplateForm();

    [GeneratedRegex(@"^file (?<name>.*) \((?<bytes>\d+) B\)$", RegexOptions.Singleline)]
    private static partial Regex FileForm();

    /// <summary>The first failure of an error class: in the output language when the run described it so, else (a
    /// report read back from JSON) the English sample, quoted under zh-CN.</summary>
    public static Text Sample(ErrorCount error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.SampleText ?? T(error.Sample, $"“{error.Sample}”");
    }
}
