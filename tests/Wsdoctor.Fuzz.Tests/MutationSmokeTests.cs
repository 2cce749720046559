using Wsdoctor.Fuzz.Targets;

namespace Wsdoctor.Fuzz.Tests;

/// <summary>A bounded, deterministic mutation loop over each target's seeds, in process: what afl-fuzz does without
/// coverage feedback, a few hundred inputs per target, the same ones on every run.</summary>
public sealed class MutationSmokeTests
{
    private const int Iterations = 400;

    private static readonly byte[] Interesting = [0x00, 0x01, 0x0A, 0x0D, 0x20, 0x22, 0x27, 0x3A, 0x3B, 0x7B, 0x7D, 0x7E, 0x7F, 0x80, 0xC0, 0xFE, 0xFF];

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutations_OfTheSeeds_KeepEveryInvariant(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var seeds = Repository.Inputs("corpus", name).Select(File.ReadAllBytes).ToArray();
        var random = new Random(name.Length * 7919 + name[0]);
        for (int i = 0; i < Iterations; i++)
        {
            var input = Mutate(seeds[i % seeds.Length], seeds[random.Next(seeds.Length)], random);
            try
            {
                Invariants.Check(target, input);
            }
            catch (InvariantViolation e)
            {
                Assert.Fail($"{e.Message}\ninput (save it as bench/fuzz/regressions/{name}/NAME): {Convert.ToHexString(input)}");
            }
        }
    }

    private static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var bytes = new List<byte>(seed);
        int rounds = 1 + random.Next(8);
        for (int r = 0; r < rounds; r++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 3 when bytes.Count > 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                    break;
                case 4 when bytes.Count > 0:
                    // Repeat a slice: long lines, deep nesting, many headers.
                    int length = Math.Min(bytes.Count - at, 1 + random.Next(64));
                    var slice = bytes.GetRange(at, length);
                    for (int copies = random.Next(1, 8); copies > 0; copies--)
                    {
                        bytes.InsertRange(at, slice);
                    }

                    break;
                default:
                    // Splice: the start of this seed, the end of another.
                    int cut = other.Length == 0 ? 0 : random.Next(other.Length);
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.AsSpan(cut).ToArray());
                    break;
            }
        }

        return [.. bytes];
    }
}
