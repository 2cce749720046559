namespace Wsdoctor.Load;

/// <summary>Counts failures from many connections at once and keeps the first few descriptions as evidence.
/// Only failing paths touch it, so a lock is fine.</summary>
public sealed class LoadErrors
{
    public const int MaxSamples = 10;

    private readonly Lock gate = new();
    private readonly List<string> samples = [];
    private long count;

    public long Count => Interlocked.Read(ref count);

    public IReadOnlyList<string> Samples
    {
        get
        {
            lock (gate)
            {
                return [.. samples];
            }
        }
    }

    public void Add(string description)
    {
        Interlocked.Increment(ref count);
        lock (gate)
        {
            if (samples.Count < MaxSamples)
            {
                samples.Add(description);
            }
        }
    }
}
