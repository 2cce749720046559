namespace Wsdoctor.Lint;

/// <summary>A configuration the program itself would refuse to load (a syntax error, an include that does not
/// exist, a time value it cannot parse). Returned as a value, never thrown: a bad configuration is input, not a bug.
/// The lint stops there, because every rule after it would judge a configuration that does not exist.</summary>
public sealed record ConfigError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
