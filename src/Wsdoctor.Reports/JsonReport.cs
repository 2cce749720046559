using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary>The machine report of <c>wsdoctor check --json</c>; the schema is documented in docs/json-schema.md and
/// versioned by <c>schemaVersion</c>: fields are only added within a version, never renamed or removed.</summary>
public static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Render(CheckReport report) => JsonSerializer.Serialize(ToDocument(report), Options);

    public static object ToDocument(CheckReport report) => new
    {
        schemaVersion = report.SchemaVersion,
        tool = "wsdoctor",
        target = report.Target,
        startedAt = report.StartedAt,
        totalMs = Round(report.TotalMs),
        verdict = report.Verdict,
        rootCause = report.RootCause is null ? null : FindingDocument(report.RootCause),
        layers = report.Layers.Select(l => new
        {
            layer = l.Layer.Name(),
            status = l.Status,
            durationMs = l.DurationMs is { } ms ? Round(ms) : (double?)null,
            summary = l.Summary,
        }),
        timings = new
        {
            dnsMs = Round(report.Timings.DnsMs),
            connectMs = Round(report.Timings.ConnectMs),
            proxyMs = Round(report.Timings.ProxyMs),
            tlsMs = Round(report.Timings.TlsMs),
            upgradeMs = Round(report.Timings.UpgradeMs),
            pingRttMs = Round(report.Timings.PingRttMs),
            firstMessageRttMs = Round(report.Timings.FirstMessageRttMs),
        },
        connection = report.Connection,
        findings = report.Findings.Select(FindingDocument),
        browsers = report.Browsers.Select(b => new
        {
            browser = b.Browser,
            version = b.Version,
            pageOrigin = b.PageOrigin,
            url = b.Url,
            outcome = b.Outcome,
            error = b.Error,
            closeCode = b.CloseCode,
            closeReason = b.CloseReason,
            wasClean = b.WasClean,
            subprotocol = b.Subprotocol,
            requestHeaders = b.RequestHeaders,
            responseStatus = b.ResponseStatus,
            responseHeaders = b.ResponseHeaders,
            console = b.Console,
            elapsedMs = Round(b.ElapsedMs),
            totalMs = Round(b.TotalMs),
            agrees = b.Agrees,
            comparison = b.Comparison,
        }),
    };

    public static object FindingDocument(Finding f) => new
    {
        code = f.Code,
        layer = f.Layer.Name(),
        severity = f.Severity.Name(),
        message = f.Message,
        evidence = f.Evidence,
        fix = f.Fix,
        data = f.Data,
        explain = $"wsdoctor explain {f.Code}",
    };

    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 2) : null;
}
