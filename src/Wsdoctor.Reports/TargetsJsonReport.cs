using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor check --targets FILE --format json</c>: one object with the combined verdict, the counts and
/// each target's full check report (docs/json-schema.md, "check --targets").</summary>
public static class TargetsJsonReport
{
    public static string Render(CheckBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return ReportJson.Serialize(new TargetsDocument
        {
            SchemaVersion = CheckReport.CurrentSchemaVersion,
            TargetsFile = batch.TargetsFile,
            StartedAt = batch.StartedAt,
            TotalMs = Math.Round(batch.TotalMs, 2),
            Verdict = batch.Verdict,
            Summary = new TargetsSummary(batch.Targets.Count, batch.Count(Verdict.Ok), batch.Count(Verdict.Warn), batch.Count(Verdict.Fail)),
            Targets = [.. batch.Targets.Select(t => new TargetEntry(t.Source, JsonReport.ToDocument(t.Report)))],
        });
    }

    public sealed record TargetsDocument
    {
        public required int SchemaVersion { get; init; }
        public string Tool { get; init; } = "wsdoctor";
        public required string? TargetsFile { get; init; }
        public required DateTimeOffset StartedAt { get; init; }
        public required double TotalMs { get; init; }
        public required Verdict Verdict { get; init; }
        public required TargetsSummary Summary { get; init; }
        public required IReadOnlyList<TargetEntry> Targets { get; init; }
    }

    public sealed record TargetsSummary(int Targets, int Ok, int Warn, int Fail);

    public sealed record TargetEntry(string? Source, JsonReport.CheckDocument Report);
}
