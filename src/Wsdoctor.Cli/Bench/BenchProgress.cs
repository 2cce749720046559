using System.Globalization;
using Spectre.Console;
using Wsdoctor.Load.Echo;
using Wsdoctor.Load.Latency;
using Wsdoctor.Load.Runs;
using Wsdoctor.Reports;

namespace Wsdoctor.Cli.Bench;

/// <summary>Live progress on stderr, once a second: on a terminal one table redrawn in place (the last interval
/// and the measured window so far); otherwise one plain line per interval, for logs. Intervals shorter than a
/// tenth of a second (the cuts at phase changes) are not shown; they are still counted and logged.</summary>
public sealed class BenchProgress
{
    private readonly TextWriter writer;
    private readonly bool terminal;
    private readonly bool colour;
    private readonly HdrHistogram.LongHistogram measured = Histograms.Create();
    private int drawnLines;
    private double measuredSeconds;

    public BenchProgress(TextWriter writer, bool terminal)
    {
        this.writer = writer;
        this.terminal = terminal;
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
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench: {interval.Elapsed.TotalSeconds,5:0}s {Phase(interval.Phase),-10} {BenchText.Number(interval.MessagesPerSecond),10} msg/s  p50 {Cell(now, now.P50),9}  p99 {Cell(now, now.P99),9}  open {interval.OpenConnections,6}  held {interval.HeldConnections,6}  errors {interval.Errors}"));
            writer.Flush();
            return;
        }

        var total = LatencySummary.FromNanoseconds(measured);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("time").AddColumn("phase").AddColumn(new TableColumn("msg/s").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned()).AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("max").RightAligned()).AddColumn(new TableColumn("open").RightAligned())
            .AddColumn(new TableColumn("held").RightAligned()).AddColumn(new TableColumn("errors").RightAligned());
        table.AddRow(
            $"{interval.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s", Phase(interval.Phase), BenchText.Number(interval.MessagesPerSecond),
            Cell(now, now.P50), Cell(now, now.P99), Cell(now, now.Max),
            interval.OpenConnections.ToString(CultureInfo.InvariantCulture), interval.HeldConnections.ToString(CultureInfo.InvariantCulture),
            interval.Errors == 0 ? "0" : $"[red]{interval.Errors.ToString(CultureInfo.InvariantCulture)}[/]");
        table.AddRow("window", "so far", measuredSeconds > 0 ? BenchText.Number(total.Count / measuredSeconds) : "-", Cell(total, total.P50), Cell(total, total.P99), Cell(total, total.Max), "", "", "");

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

    private static string Phase(LoadPhase phase) => phase switch
    {
        LoadPhase.Connecting => "connecting",
        LoadPhase.WarmingUp => "warm-up",
        LoadPhase.Measuring => "measuring",
        _ => "closing",
    };
}
