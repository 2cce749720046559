using System.Diagnostics.CodeAnalysis;

namespace Wsdoctor.Lint;

/// <summary>Either a parsed value or the <see cref="ConfigError"/> that stopped the parse.</summary>
public readonly struct ParseResult<T>
    where T : class
{
    private ParseResult(T? value, ConfigError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ConfigError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok => Error is null;

    public static ParseResult<T> Success(T value) => new(value, null);

    public static ParseResult<T> Failure(ConfigError error) => new(null, error);

    public static implicit operator ParseResult<T>(ConfigError error) => Failure(error);
}
