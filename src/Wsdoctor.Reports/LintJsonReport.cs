using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Lint;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor lint nginx|haproxy --json</c>; documented in docs/lint-json.md, versioned by
/// <c>schemaVersion</c> like the check report.</summary>
public static class LintJsonReport
{
    public const int SchemaVersion = 1;

    public static string Render(LintReport report) => JsonSerializer.Serialize(new
    {
        schemaVersion = SchemaVersion,
        tool = "wsdoctor",
        command = $"lint {report.Program}",
        files = report.Files,
        assumptions = report.Assumptions,
        findings = report.Findings.Select(f => new
        {
            code = f.Finding.Code,
            severity = f.Finding.Severity.Name(),
            message = f.Finding.Message,
            file = f.Location.File,
            line = f.Location.Line,
            column = f.Location.Column,
            directive = f.Directive,
            evidence = f.Finding.Evidence,
            fix = f.Finding.Fix,
            fixBlock = f.FixBlock,
            data = f.Finding.Data,
            explain = $"wsdoctor explain {f.Finding.Code}",
        }),
        notes = report.Notes.Select(n => new { file = n.Location.File, line = n.Location.Line, column = n.Location.Column, message = n.Message }),
        summary = new
        {
            errors = report.Count(Severity.Error),
            warnings = report.Count(Severity.Warning),
            info = report.Count(Severity.Info),
        },
    }, JsonReport.Options);
}
