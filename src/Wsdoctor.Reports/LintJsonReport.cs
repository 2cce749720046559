using Wsdoctor.Findings;
using Wsdoctor.Lint;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor lint nginx|haproxy --json</c>; documented in docs/lint-json.md, versioned by
/// <c>schemaVersion</c> like the check report.</summary>
public static class LintJsonReport
{
    public const int SchemaVersion = 1;

    public static string Render(LintReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ReportJson.Serialize(new LintDocument(
            SchemaVersion,
            "wsdoctor",
            $"lint {report.Program}",
            report.Files,
            report.Assumptions,
            [.. report.Findings.Select(f => new LintFindingDocument(
                f.Finding.Code,
                f.Finding.Severity.Name(),
                f.Finding.Message.En,
                f.Location.File,
                f.Location.Line,
                f.Location.Column,
                f.Directive,
                [.. f.Finding.Evidence.Select(e => e.En)],
                f.Finding.Fix.En,
                f.FixBlock?.En,
                f.Finding.Data,
                $"wsdoctor explain {f.Finding.Code}"))],
            [.. report.Notes.Select(n => new LintNoteDocument(n.Location.File, n.Location.Line, n.Location.Column, n.Message.En))],
            new LintSummary(report.Count(Severity.Error), report.Count(Severity.Warning), report.Count(Severity.Info))));
    }

    public sealed record LintDocument(
        int SchemaVersion,
        string Tool,
        string Command,
        IReadOnlyList<string> Files,
        IReadOnlyDictionary<string, object?> Assumptions,
        IReadOnlyList<LintFindingDocument> Findings,
        IReadOnlyList<LintNoteDocument> Notes,
        LintSummary Summary);

    public sealed record LintFindingDocument(
        string Code,
        string Severity,
        string Message,
        string File,
        int Line,
        int Column,
        string Directive,
        IReadOnlyList<string> Evidence,
        string Fix,
        string? FixBlock,
        IReadOnlyDictionary<string, object?> Data,
        string Explain);

    public sealed record LintNoteDocument(string File, int Line, int Column, string Message);

    public sealed record LintSummary(int Errors, int Warnings, int Info);
}
