namespace Wsdoctor.Lint;

/// <summary>Where something is in a configuration file: 1-based line and column (a tab counts as one column), as
/// compilers print it.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
