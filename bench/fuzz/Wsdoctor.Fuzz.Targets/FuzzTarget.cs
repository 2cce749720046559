namespace Wsdoctor.Fuzz.Targets;

/// <summary>One parser that reads untrusted bytes, as the fuzzer and the corpus replay drive it.</summary>
/// <param name="Name">The command-line name (<c>bench/fuzz/run.sh NAME</c>) and the corpus folder's name.</param>
/// <param name="Parser">What it exercises, for <c>wsdoctor-fuzz list</c> and docs/reliability.md.</param>
/// <param name="Run">Parses one input and checks the target's own invariants (chunking independence, round trips,
/// bounds), throwing <see cref="InvariantViolation"/> when one breaks.</param>
/// <param name="Contract">The exception types the parser documents for bad input (each must carry a one-line
/// message). Any other exception is a bug.</param>
/// <param name="Allocation">The managed allocation one run may cost, given the input's length.</param>
public sealed record FuzzTarget(
    string Name,
    string Parser,
    Action<byte[]> Run,
    IReadOnlyList<Type> Contract,
    AllocationBound Allocation);

/// <summary>At most <paramref name="Fixed"/> + <paramref name="PerInputByte"/> × input length bytes allocated on the
/// parsing thread. <paramref name="Fixed"/> covers a parser's configured limits (head size, inflate limit), so a
/// parser that trusts a declared length instead of the bytes received breaks the bound.</summary>
public sealed record AllocationBound(long Fixed, int PerInputByte)
{
    public long For(int inputLength) => Fixed + (long)PerInputByte * inputLength;
}

/// <summary>An invariant of a target failed: a crash for afl-fuzz, a failure for the replay tests.</summary>
public sealed class InvariantViolation(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A parser whose target is not in this tree yet, and where it will be.</summary>
public sealed record PendingTarget(string Name, string Parser, string Where);
