using Wsdoctor.Fuzz.Targets;

namespace Wsdoctor.Fuzz.Tests;

/// <summary>The invariant checker itself: each check can fail, so a green replay means something.</summary>
public sealed class InvariantTests
{
    private static FuzzTarget Target(Action<byte[]> run, Type[]? contract = null, AllocationBound? bound = null) =>
        new("test", "test", run, contract ?? [], bound ?? new AllocationBound(1024 * 1024, 0));

    [Fact]
    public void Check_UnexpectedExceptionType_IsAViolation()
    {
        var target = Target(_ => throw new IndexOutOfRangeException("boom"), [typeof(FormatException)]);

        var violation = Assert.Throws<InvariantViolation>(() => Invariants.Check(target, [1]));
        Assert.Contains("System.IndexOutOfRangeException", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ContractException_IsAnOutcome()
    {
        var target = Target(_ => throw new FormatException("line 1: bad"), [typeof(FormatException)]);

        Assert.Equal("FormatException: line 1: bad", Invariants.Check(target, [1]).ContractError);
    }

    [Fact]
    public void Check_ContractExceptionOfSeveralLines_IsAViolation()
    {
        var target = Target(_ => throw new FormatException("bad\n   at Somewhere()"), [typeof(FormatException)]);

        Assert.Throws<InvariantViolation>(() => Invariants.Check(target, [1]));
    }

    [Fact]
    public void Check_AllocationOverTheBound_IsAViolation()
    {
        var target = Target(input => GC.KeepAlive(new byte[input.Length * 1000]), bound: new AllocationBound(4096, 100));

        var violation = Assert.Throws<InvariantViolation>(() => Invariants.Check(target, new byte[64]));
        Assert.Contains("above the bound", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AllocationWithinTheBound_IsMeasured()
    {
        var target = Target(input => GC.KeepAlive(new byte[input.Length * 10]), bound: new AllocationBound(4096, 100));

        Assert.InRange(Invariants.Check(target, new byte[1000]).AllocatedBytes, 10_000, 4096 + 100_000);
    }

    [Fact]
    public void Chunking_EveryPlanCoversTheInputExactly()
    {
        for (int plan = 0; plan < Chunking.Plans; plan++)
        {
            var sizes = Chunking.Sizes(plan, 1000, 7).ToArray();
            Assert.Equal(1000, sizes.Sum());
            Assert.All(sizes, s => Assert.InRange(s, 1, 1000));
        }

        Assert.Equal(1000, Chunking.Sizes(1, 1000, 7).Count());
        Assert.True(Chunking.Sizes(2, 1000, 7).Distinct().Count() > 5, "the random plan uses varied chunk sizes");
    }
}
