using System.Text.Json;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor check --targets FILE --format json</c>: one object with the combined verdict, the counts and
/// each target's full check report (docs/json-schema.md, "check --targets").</summary>
public static class TargetsJsonReport
{
    public static string Render(CheckBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return JsonSerializer.Serialize(new
        {
            schemaVersion = Probes.Diagnosis.CheckReport.CurrentSchemaVersion,
            tool = "wsdoctor",
            targetsFile = batch.TargetsFile,
            startedAt = batch.StartedAt,
            totalMs = Math.Round(batch.TotalMs, 2),
            verdict = batch.Verdict,
            summary = new
            {
                targets = batch.Targets.Count,
                ok = batch.Count(Probes.Diagnosis.Verdict.Ok),
                warn = batch.Count(Probes.Diagnosis.Verdict.Warn),
                fail = batch.Count(Probes.Diagnosis.Verdict.Fail),
            },
            targets = batch.Targets.Select(t => new { source = t.Source, report = JsonReport.ToDocument(t.Report) }),
        }, JsonReport.Options);
    }
}
