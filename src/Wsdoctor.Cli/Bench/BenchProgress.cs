using System.Globalization;
using Spectre.Console;
using Wsdoctor.Load.Echo;
using Wsdoctor.Load.Latency;
using Wsdoctor.Load.Runs;
using Wsdoctor.Reports;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary>Live progress on stderr, once a second: on a terminal one table redrawn in place (the last interval
/// and the measured window so far); otherwise one plain line per interval, for logs. Intervals shorter than a
/// tenth of a second (the cuts at phase changes) are not shown; they are still counted and logged.</summary>
public sealed class BenchProgress
{
    private readonly TextWriter writer;
    private readonly bool terminal;
    private readonly bool colour;
    private readonly string language;
    private readonly HdrHistogram.LongHistogram measured = Histograms.Create();
    private int drawnLines;
    private double measuredSeconds;

    public BenchProgress(TextWriter writer, bool terminal, string language)
    {
        this.writer = writer;
        this.terminal = terminal;
        this.language = language;
        colour = terminal && ConsoleFactory.ColourWanted(outputRedirected: false);
    }

    public void Show(LoadProgress interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        if (interval.Measured)
        {
            measured.Add(interval.Latency);
            measuredSeconds += (interval.End - interval.Start).TotalSeconds;
        }

        if ((interval.End - interval.Start) < TimeSpan.FromMilliseconds(100))
        {
            return;
        }

        var now = LatencySummary.FromNanoseconds(interval.Latency);
        if (!terminal)
        {
            var seconds = interval.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture).PadLeft(5);
            var rate = BenchText.Number(interval.MessagesPerSecond).PadLeft(10);
            var p50 = Cell(now, now.P50).PadLeft(9);
            var p99 = Cell(now, now.P99).PadLeft(9);
            var open = interval.OpenConnections.ToString(CultureInfo.InvariantCulture).PadLeft(6);
            var held = interval.HeldConnections.ToString(CultureInfo.InvariantCulture).PadLeft(6);
            var errors = interval.Errors.ToString(CultureInfo.InvariantCulture);
            var phase = BenchText.PadCells(Phase(interval.Phase).In(language), 10);
            writer.WriteLine(T(
                $"bench: {seconds}s {phase} {rate} msg/s  p50 {p50}  p99 {p99}  open {open}  held {held}  errors {errors}",
                $"bench：{seconds} 秒 {phase} {rate} msg/s  p50 {p50}  p99 {p99}  打开 {open}  保持 {held}  错误 {errors}").In(language));
            writer.Flush();
            return;
        }

        var total = LatencySummary.FromNanoseconds(measured);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(T("time", "时间").In(language)).AddColumn(T("phase", "阶段").In(language)).AddColumn(new TableColumn("msg/s").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("max").RightAligned()).AddColumn(new TableColumn(T("open", "打开").In(language)).RightAligned())
            .AddColumn(new TableColumn(T("held", "保持").In(language)).RightAligned()).AddColumn(new TableColumn(T("errors", "错误").In(language)).RightAligned());
        table.AddRow(
            $"{interval.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s", Phase(interval.Phase).In(language), BenchText.Number(interval.MessagesPerSecond),
            Cell(now, now.P50), Cell(now, now.P99), Cell(now, now.Max),
            interval.OpenConnections.ToString(CultureInfo.InvariantCulture), interval.HeldConnections.ToString(CultureInfo.InvariantCulture),
            interval.Errors == 0 ? "0" : $"[red]{interval.Errors.ToString(CultureInfo.InvariantCulture)}[/]");
        table.AddRow(T("window", "测量窗口").In(language), T("so far", "目前为止").In(language), measuredSeconds > 0 ? BenchText.Number(total.Count / measuredSeconds) : "-", Cell(total, total.P50), Cell(total, total.P99), Cell(total, total.Max), "", "", "");

        var text = new StringWriter();
        var console = ConsoleFactory.Create(text, colour);
        console.Profile.Width = 100;
        console.Write(table);
        var rendered = text.ToString();
        // Back over the previous table (cursor up, erase to the end of the screen), then draw the new one.
        if (drawnLines > 0)
        {
            writer.Write($"\u001b[{drawnLines}A\u001b[J");
        }

        writer.Write(rendered);
        writer.Flush();
        drawnLines = rendered.Count(c => c == '\n');
    }

    private static string Cell(LatencySummary summary, double microseconds) => summary.Count == 0 ? "-" : BenchText.Latency(microseconds);

    private static Findings.Text Phase(LoadPhase phase) => phase switch
    {
        LoadPhase.Connecting => T("connecting", "连接中"),
        LoadPhase.WarmingUp => T("warm-up", "预热"),
        LoadPhase.Measuring => T("measuring", "测量中"),
        _ => T("closing", "关闭中"),
    };
}
