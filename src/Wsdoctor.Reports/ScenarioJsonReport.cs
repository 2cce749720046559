using System.Text.Json;
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
        return JsonSerializer.Serialize(new
        {
            schemaVersion = SchemaVersion,
            tool = "wsdoctor",
            command = "test",
            startedAt,
            durationMs = Round(elapsed.TotalMilliseconds),
            passed = results.All(r => r.Passed),
            totals = new
            {
                scenarios = results.Count,
                passed = results.Count(r => r.Passed),
                failed = results.Count(r => !r.Passed),
            },
            scenarios = results.Select(r => new
            {
                name = r.Name,
                file = r.Mark.File,
                line = r.Mark.Line,
                url = r.Url,
                passed = r.Passed,
                durationMs = Round(r.Duration.TotalMilliseconds),
                connection = r.Connection is { } c ? new
                {
                    status = c.StatusCode,
                    subprotocol = c.Subprotocol,
                    extensions = c.Extensions,
                    tls = c.TlsVersion,
                    remoteEndpoint = c.RemoteEndPoint,
                    openMs = Round(c.TotalMs),
                } : null,
                failedStep = r.FailedStep?.Label,
                steps = r.Steps.Select(s => new
                {
                    label = s.Label,
                    kind = s.Kind,
                    line = s.Mark.Line,
                    column = s.Mark.Column,
                    depth = s.Depth,
                    status = s.Status,
                    startMs = Round(s.Start.TotalMilliseconds),
                    durationMs = Round(s.Duration.TotalMilliseconds),
                    detail = s.Detail,
                    failure = s.Failure is { } f ? new
                    {
                        kind = f.Kind,
                        message = f.Message,
                        expected = f.Expected,
                        actual = f.Actual,
                        differences = f.Differences,
                        skipped = f.Skipped,
                        closeCode = f.CloseCode,
                        httpStatus = f.HttpStatus,
                        closeExplanation = f.CloseLines,
                    } : null,
                }),
                diagnosis = r.Diagnosis is { } d ? JsonReport.ToDocument(d) : null,
            }),
        }, JsonReport.Options);
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}
