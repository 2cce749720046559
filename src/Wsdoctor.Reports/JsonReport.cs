using System.Text.Json;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary>The machine report of <c>wsdoctor check --json</c>; the schema is documented in docs/json-schema.md and
/// versioned by <c>schemaVersion</c>: fields are only added within a version, never renamed or removed.</summary>
public static class JsonReport
{
    /// <summary>camelCase, indented, enums in kebab-case, relaxed escaping; source-generated (no reflection), so the
    /// native binary writes exactly what the JIT build writes.</summary>
    public static JsonSerializerOptions Options => ReportJson.Options;

    public static string Render(CheckReport report) => ReportJson.Serialize(ToDocument(report));

    public static CheckDocument ToDocument(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new()
        {
            SchemaVersion = report.SchemaVersion,
            Target = report.Target,
            StartedAt = report.StartedAt,
            TotalMs = Round(report.TotalMs),
            Verdict = report.Verdict,
            RootCause = report.RootCause is null ? null : FindingDocument(report.RootCause),
            Layers = [.. report.Layers.Select(l => new LayerDocument(l.Layer.Name(), l.Status, l.DurationMs is { } ms ? Round(ms) : null, l.Summary))],
            Timings = new TimingsDocument(
                Round(report.Timings.DnsMs),
                Round(report.Timings.ConnectMs),
                Round(report.Timings.ProxyMs),
                Round(report.Timings.TlsMs),
                Round(report.Timings.UpgradeMs),
                Round(report.Timings.PingRttMs),
                Round(report.Timings.FirstMessageRttMs)),
            Connection = report.Connection,
            Findings = [.. report.Findings.Select(FindingDocument)],
            Browsers = [.. report.Browsers.Select(BrowserDocument.From)],
        };
    }

    public static FindingDocument FindingDocument(Finding f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(f.Code, f.Layer.Name(), f.Severity.Name(), f.Message.En, [.. f.Evidence.Select(e => e.En)], f.Fix.En, f.Data, $"wsdoctor explain {f.Code}");
    }

    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 2) : null;

    public sealed record CheckDocument
    {
        public required int SchemaVersion { get; init; }
        public string Tool => "wsdoctor";
        public required string Target { get; init; }
        public required DateTimeOffset StartedAt { get; init; }
        public required double? TotalMs { get; init; }
        public required Verdict Verdict { get; init; }
        public required FindingDocument? RootCause { get; init; }
        public required IReadOnlyList<LayerDocument> Layers { get; init; }
        public required TimingsDocument Timings { get; init; }
        public required ConnectionFacts Connection { get; init; }
        public required IReadOnlyList<FindingDocument> Findings { get; init; }
        public required IReadOnlyList<BrowserDocument> Browsers { get; init; }
    }

    public sealed record LayerDocument(string Layer, LayerStatus Status, double? DurationMs, string Summary);

    public sealed record TimingsDocument(double? DnsMs, double? ConnectMs, double? ProxyMs, double? TlsMs, double? UpgradeMs, double? PingRttMs, double? FirstMessageRttMs);

    public sealed record BrowserDocument(
        string Browser,
        string Version,
        string PageOrigin,
        string Url,
        BrowserOutcome Outcome,
        string? Error,
        int? CloseCode,
        string? CloseReason,
        bool? WasClean,
        string? Subprotocol,
        IReadOnlyDictionary<string, string>? RequestHeaders,
        int? ResponseStatus,
        IReadOnlyDictionary<string, string>? ResponseHeaders,
        IReadOnlyList<string> Console,
        double? ElapsedMs,
        double? TotalMs,
        bool? Agrees,
        string? Comparison)
    {
        public static BrowserDocument From(BrowserObservation b) => new(
            b.Browser, b.Version, b.PageOrigin, b.Url, b.Outcome, b.Error, b.CloseCode, b.CloseReason, b.WasClean, b.Subprotocol,
            b.RequestHeaders, b.ResponseStatus, b.ResponseHeaders, b.Console, Round(b.ElapsedMs), Round(b.TotalMs), b.Agrees, b.Comparison?.En);
    }
}

/// <summary>A finding as every JSON report writes it (check, lint's findings carry more, cert).</summary>
public sealed record FindingDocument(
    string Code,
    string Layer,
    string Severity,
    string Message,
    IReadOnlyList<string> Evidence,
    string Fix,
    IReadOnlyDictionary<string, object?> Data,
    string Explain);
