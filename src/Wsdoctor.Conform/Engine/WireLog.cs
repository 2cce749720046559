using System.Diagnostics;

namespace Wsdoctor.Conform.Engine;

/// <summary>One line of a case's wire log: milliseconds since the case began, direction (tx, rx, or -- for
/// what happened to the connection) and a description of the frame or event.</summary>
public sealed record WireEntry(double AtMs, string Direction, string Text);

/// <summary>A bounded, thread-safe wire log: the first <see cref="MaxEntries"/> entries are kept and the rest
/// counted, so a case sending 65 536 frames still has a readable report.</summary>
public sealed class WireLog
{
    public const int MaxEntries = 400;
    private readonly List<WireEntry> entries = [];
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly Lock gate = new();

    public int Dropped { get; private set; }

    public double ElapsedMs => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    public void Add(string direction, string text)
    {
        lock (gate)
        {
            if (entries.Count < MaxEntries)
            {
                entries.Add(new WireEntry(Math.Round(ElapsedMs, 1), direction, text));
            }
            else
            {
                Dropped++;
            }
        }
    }

    public IReadOnlyList<WireEntry> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }
}
