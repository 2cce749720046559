namespace Wsdoctor.Load.Errors;

/// <summary>One line of the error table: how often one (code, detail, stage) happened, and the first message seen.</summary>
public sealed record ErrorCount(string Code, string? Detail, ErrorStage Stage, long Count, string Sample)
{
    /// <summary>The sample in every output language; null for a sample read back from a JSON report (English only).</summary>
    public Wsdoctor.Findings.Text? SampleText { get; init; }
}

/// <summary>Counts errors from every connection at once. Only failing paths touch it, so a lock is fine.</summary>
public sealed class ErrorTally
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string, string?, ErrorStage), (long Count, LoadError First)> counts = [];
    private long total;

    public long Total => Interlocked.Read(ref total);

    public void Add(LoadError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Interlocked.Increment(ref total);
        var key = (error.Code, error.Detail, error.Stage);
        lock (gate)
        {
            counts[key] = counts.TryGetValue(key, out var seen) ? (seen.Count + 1, seen.First) : (1, error);
        }
    }

    /// <summary>Most frequent first.</summary>
    public IReadOnlyList<ErrorCount> Snapshot()
    {
        lock (gate)
        {
            return [.. counts
                .Select(kv => new ErrorCount(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value.Count, kv.Value.First.Message) { SampleText = kv.Value.First.Text })
                .OrderByDescending(e => e.Count).ThenBy(e => e.Code, StringComparer.Ordinal)];
        }
    }
}
