using System.Globalization;

namespace Wsdoctor.Load.Payloads;

/// <summary>One size a message can have, and how often relative to the others.</summary>
public sealed record SizeChoice(int Bytes, double Weight);

/// <summary>The sizes messages are drawn from: one fixed size, a list (equally likely) or weighted sizes. Each
/// connection draws from its own generator seeded by its index, so a run (and each shard) is reproducible.</summary>
public sealed class SizeDistribution
{
    private readonly int[] sizes;
    private readonly double[] cumulative;

    public SizeDistribution(IReadOnlyList<SizeChoice> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0 || choices.Any(c => c.Bytes < 0 || !(c.Weight > 0) || !double.IsFinite(c.Weight)))
        {
            throw new ArgumentException("at least one size, each with a positive weight", nameof(choices));
        }

        Choices = choices;
        sizes = [.. choices.Select(c => c.Bytes)];
        cumulative = new double[choices.Count];
        var total = choices.Sum(c => c.Weight);
        var sum = 0.0;
        for (var i = 0; i < choices.Count; i++)
        {
            sum += choices[i].Weight / total;
            cumulative[i] = sum;
        }

        cumulative[^1] = 1.0;
        Max = sizes.Max();
    }

    public static SizeDistribution Fixed(int bytes) => new([new SizeChoice(bytes, 1)]);

    public IReadOnlyList<SizeChoice> Choices { get; }

    public int Max { get; }

    public bool IsFixed => sizes.Length == 1;

    public int Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (sizes.Length == 1)
        {
            return sizes[0];
        }

        var x = random.NextDouble();
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (x < cumulative[i])
            {
                return sizes[i];
            }
        }

        return sizes[^1];
    }

    public override string ToString() => IsFixed
        ? $"{sizes[0].ToString(CultureInfo.InvariantCulture)} B"
        : string.Join(", ", Choices.Select(c => $"{c.Bytes.ToString(CultureInfo.InvariantCulture)} B×{c.Weight.ToString("0.##", CultureInfo.InvariantCulture)}"));
}
