using System.Globalization;

namespace Wsdoctor.Load.Runs;

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/> (--shard I/N): it runs the virtual connections
/// I, I+N, I+2N... of the whole test, so the N shards together run each exactly once, and the same connection
/// always gets the same index (and so the same payload sizes), whoever runs it.</summary>
public sealed record Shard(int Index, int Count)
{
    public static readonly Shard Whole = new(0, 1);

    public bool IsWhole => Count == 1;

    /// <summary>How many of <paramref name="total"/> items this shard gets: the first total % N shards one more.</summary>
    public int Share(int total) => total / Count + (Index < total % Count ? 1 : 0);

    /// <summary>The global index of this shard's <paramref name="local"/>-th item.</summary>
    public int GlobalIndex(int local) => Index + local * Count;

    public static bool TryParse(string text, out Shard? shard)
    {
        shard = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || count > 10_000 || index >= count)
        {
            return false;
        }

        shard = new Shard(index, count);
        return true;
    }

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";
}
