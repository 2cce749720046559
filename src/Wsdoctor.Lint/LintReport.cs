using Wsdoctor.Findings;

namespace Wsdoctor.Lint;

/// <summary>The outcome of linting one configuration.</summary>
/// <param name="Program">nginx or haproxy.</param>
/// <param name="Files">Every file that was read, the main one first.</param>
/// <param name="Findings">In file order (main file first, then by line and column).</param>
/// <param name="Assumptions">What the rules assumed, for the summary and JSON: the nginx version and where it came
/// from, the heartbeat, the WebSocket paths.</param>
public sealed record LintReport(
    string Program,
    IReadOnlyList<string> Files,
    IReadOnlyList<LintFinding> Findings,
    IReadOnlyList<LintNote> Notes,
    IReadOnlyDictionary<string, object?> Assumptions)
{
    public int Count(Severity severity) => Findings.Count(f => f.Finding.Severity == severity);

    public bool HasErrors => Count(Severity.Error) > 0;

    /// <summary>Findings ordered as a compiler orders diagnostics: by file (in reading order), line, column.</summary>
    public static IReadOnlyList<LintFinding> Ordered(IEnumerable<LintFinding> findings, IReadOnlyList<string> files)
    {
        var order = files.Select((file, index) => (file, index)).DistinctBy(x => x.file).ToDictionary(x => x.file, x => x.index, StringComparer.Ordinal);
        return findings
            .OrderBy(f => order.GetValueOrDefault(f.Location.File, int.MaxValue))
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.Location.Column)
            .ThenBy(f => f.Finding.Code, StringComparer.Ordinal)
            .ToArray();
    }
}
