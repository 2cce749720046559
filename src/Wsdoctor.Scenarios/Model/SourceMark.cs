namespace Wsdoctor.Scenarios.Model;

/// <summary>Where something was written: 1-based line and column in the scenario file.</summary>
public readonly record struct SourceMark(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
