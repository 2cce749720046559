namespace Wsdoctor.Protocol.Tests;

/// <summary>RESPite's parser discipline: a push parser must not care how the network cut the stream. Every
/// input is replayed whole, split in two at every byte offset, and one byte at a time, and every replay must
/// describe the same result.</summary>
internal static class Replay
{
    public static IEnumerable<(string Name, ReadOnlyMemory<byte>[] Chunks)> Chunkings(byte[] input)
    {
        yield return ("whole", [input]);

        // Offsets 0 and Length included: an empty chunk must be harmless too.
        for (int split = 0; split <= input.Length; split++)
        {
            yield return ($"split at {split}", [input.AsMemory(0, split), input.AsMemory(split)]);
        }

        yield return ("one byte at a time", Enumerable.Range(0, input.Length).Select(i => (ReadOnlyMemory<byte>)input.AsMemory(i, 1)).ToArray());
    }

    /// <summary>Runs <paramref name="run"/> on every chunking, fails when any <paramref name="describe"/>
    /// differs from the whole-input one, and returns the whole-input result for the test's own asserts.
    /// Replays run in parallel: each builds its own parser, and a megabyte input means a million of them.</summary>
    public static T Identical<T>(byte[] input, Func<ReadOnlyMemory<byte>[], T> run, Func<T, string> describe)
    {
        var whole = run([input]);
        var expected = describe(whole);
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(Chunkings(input).Skip(1), chunking =>
        {
            var actual = describe(run(chunking.Chunks));
            if (actual != expected)
            {
                mismatches.Add($"{chunking.Name}:\n{actual}");
            }
        });

        if (!mismatches.IsEmpty)
        {
            Assert.Fail($"{mismatches.Count} replays differ from the whole input.\nwhole:\n{expected}\n{mismatches.OrderBy(m => m, StringComparer.Ordinal).First()}");
        }

        return whole;
    }
}
