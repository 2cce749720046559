using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Reports;

/// <summary>The machine report of <c>wsdoctor test --format json</c> (docs/scenarios.md describes it): one object
/// with the totals and every scenario's steps; a transport failure carries check's report as <c>diagnosis</c>.</summary>
public static class ScenarioJsonReport
{
    public const int SchemaVersion = 1;

    public static string Render(IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(results);
        return ReportJson.Serialize(new TestDocument(
            SchemaVersion,
            "wsdoctor",
            "test",
            startedAt,
            Round(elapsed.TotalMilliseconds),
            results.All(r => r.Passed),
            new TestTotals(results.Count, results.Count(r => r.Passed), results.Count(r => !r.Passed)),
            [.. results.Select(r => new ScenarioDocument(
                r.Name,
                r.Mark.File,
                r.Mark.Line,
                r.Url,
                r.Passed,
                Round(r.Duration.TotalMilliseconds),
                r.Connection is { } c ? new OpenDocument(c.StatusCode, c.Subprotocol, c.Extensions, c.TlsVersion, c.RemoteEndPoint, Round(c.TotalMs)) : null,
                r.FailedStep?.Label,
                [.. r.Steps.Select(s => new StepDocument(
                    s.Label,
                    s.Kind,
                    s.Mark.Line,
                    s.Mark.Column,
                    s.Depth,
                    s.Status,
                    Round(s.Start.TotalMilliseconds),
                    Round(s.Duration.TotalMilliseconds),
                    s.Detail?.En,
                    s.Failure is { } f
                        ? new FailureDocument(f.Kind, f.Message.En, f.Expected?.En, f.Actual?.En, En(f.Differences), En(f.Skipped), f.CloseCode, f.HttpStatus, En(f.CloseLines))
                        : null))],
                r.Diagnosis is { } d ? JsonReport.ToDocument(d) : null))]));
    }

    private static double Round(double ms) => Math.Round(ms, 3);

    /// <summary>The report is for machines: its texts are the English ones, whatever the output language.</summary>
    private static string[] En(IReadOnlyList<Wsdoctor.Findings.Text> lines) => [.. lines.Select(l => l.En)];

    public sealed record TestDocument(
        int SchemaVersion,
        string Tool,
        string Command,
        DateTimeOffset StartedAt,
        double DurationMs,
        bool Passed,
        TestTotals Totals,
        IReadOnlyList<ScenarioDocument> Scenarios);

    public sealed record TestTotals(int Scenarios, int Passed, int Failed);

    public sealed record ScenarioDocument(
        string Name,
        string File,
        int Line,
        string Url,
        bool Passed,
        double DurationMs,
        OpenDocument? Connection,
        string? FailedStep,
        IReadOnlyList<StepDocument> Steps,
        JsonReport.CheckDocument? Diagnosis);

    public sealed record OpenDocument(int Status, string? Subprotocol, string? Extensions, string? Tls, string RemoteEndpoint, double OpenMs);

    public sealed record StepDocument(
        string Label,
        string Kind,
        int Line,
        int Column,
        int Depth,
        StepStatus Status,
        double StartMs,
        double DurationMs,
        string? Detail,
        FailureDocument? Failure);

    public sealed record FailureDocument(
        FailureKind Kind,
        string Message,
        string? Expected,
        string? Actual,
        IReadOnlyList<string> Differences,
        IReadOnlyList<string> Skipped,
        int? CloseCode,
        int? HttpStatus,
        IReadOnlyList<string> CloseExplanation);
}
