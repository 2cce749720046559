using Wsdoctor.Fuzz.Targets;

namespace Wsdoctor.Fuzz.Tests;

/// <summary>Every saved input through its target's invariants: no unexpected exception, errors as values, the
/// allocation bound, chunking independence. A regression file here is an input that once broke one of them.</summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> Inputs() => Repository.AllInputs();

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Replay_SavedInput_KeepsEveryInvariant(string target, string file)
    {
        var outcome = Invariants.Check(FuzzTargets.Find(target)!, File.ReadAllBytes(Path.Combine(Repository.Fuzz, file)));

        Assert.True(outcome.AllocatedBytes > 0, "the allocation was not measured");
    }

    [Fact]
    public void Corpus_EveryTargetHasSeeds_AndEveryFolderIsATarget()
    {
        foreach (var target in FuzzTargets.All)
        {
            Assert.True(Repository.Inputs("corpus", target.Name).Any(), $"bench/fuzz/corpus/{target.Name} has no seed");
        }

        var names = FuzzTargets.All.Select(t => t.Name).ToHashSet();
        foreach (var kind in new[] { "corpus", "regressions" })
        {
            var folder = Path.Combine(Repository.Fuzz, kind);
            foreach (var dir in Directory.Exists(folder) ? Directory.EnumerateDirectories(folder) : [])
            {
                Assert.Contains(Path.GetFileName(dir), names);
            }
        }
    }

    [Fact]
    public void Corpus_SeedsAreSmall()
    {
        // afl-fuzz works best from small seeds, and the repository should not carry big binaries.
        foreach (var target in FuzzTargets.All)
        {
            foreach (var file in Repository.Inputs("corpus", target.Name))
            {
                Assert.True(new FileInfo(file).Length <= 16 * 1024, $"{file} is over 16 KiB");
            }
        }
    }

    [Fact]
    public void Targets_NamesAreUnique_AndPendingOnesAreNotListedTwice()
    {
        var names = FuzzTargets.All.Select(t => t.Name).Concat(FuzzTargets.Pending.Select(p => p.Name)).ToArray();

        Assert.Equal(names.Length, names.Distinct().Count());
    }
}
