using System.Runtime.CompilerServices;

namespace Wsdoctor.Fuzz.Targets;

/// <summary>How one input fared: accepted by the parser, or refused with one of its contract exceptions.</summary>
public sealed record Outcome(string? ContractError, long AllocatedBytes)
{
    public override string ToString() => ContractError is null ? $"ok ({AllocatedBytes} B allocated)" : $"refused: {ContractError} ({AllocatedBytes} B allocated)";
}

/// <summary>The checks every target gets beyond "no crash": a parse error is a contract exception with a one-line
/// message (never another exception type), and the allocation stays within the target's bound.</summary>
public static class Invariants
{
    public static Outcome Check(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(input);
        var (error, allocated) = Measure(target, input);
        long limit = target.Allocation.For(input.Length);
        if (allocated > limit)
        {
            // The first run of a path may pay for lazily built statics (regexes, encodings, pools): measure again.
            (error, allocated) = Measure(target, input);
            if (allocated > limit)
            {
                throw new InvariantViolation($"{target.Name}: {allocated} bytes allocated for a {input.Length}-byte input, above the bound of {limit}");
            }
        }

        return new Outcome(error, allocated);
    }

    private static (string? Error, long Allocated) Measure(FuzzTarget target, byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string? error = null;
        try
        {
            target.Run(input);
        }
        catch (InvariantViolation)
        {
            throw;
        }
        catch (Exception e) when (target.Contract.Any(type => type.IsInstanceOfType(e)))
        {
            if (string.IsNullOrWhiteSpace(e.Message) || e.Message.Contains('\n', StringComparison.Ordinal))
            {
                throw new InvariantViolation($"{target.Name}: {e.GetType().Name} is the parser's error but its message is not one line: '{e.Message}'", e);
            }

            error = $"{e.GetType().Name}: {e.Message}";
        }
        catch (Exception e)
        {
            throw new InvariantViolation($"{target.Name}: unexpected {e.GetType().FullName}: {e.Message}", e);
        }

        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Throws <see cref="InvariantViolation"/> unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string target, string what)
    {
        if (!condition)
        {
            throw new InvariantViolation($"{target}: {what}");
        }
    }

    /// <summary>As <see cref="Require(bool, string, string)"/>, with the message formatted only when the condition
    /// fails: checks run per chunk, and a message built on every call would count against the target's allocation
    /// bound (a 13 KB input fed byte by byte allocated 4 MB of unused messages before this overload).</summary>
    public static void Require(bool condition, string target, [InterpolatedStringHandlerArgument(nameof(condition))] ref RequireMessage what)
    {
        if (!condition)
        {
            throw new InvariantViolation($"{target}: {what.ToStringAndClear()}");
        }
    }
}

/// <summary>An interpolated message that formats nothing while its condition holds.</summary>
[InterpolatedStringHandler]
public ref struct RequireMessage
{
    private DefaultInterpolatedStringHandler _text;
    private readonly bool _failed;

    public RequireMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _failed = !condition;
        shouldAppend = _failed;
        _text = _failed ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public string ToStringAndClear() => _failed ? _text.ToStringAndClear() : string.Empty;
}
