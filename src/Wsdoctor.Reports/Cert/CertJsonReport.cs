using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Verification;
using Wsdoctor.Findings;

namespace Wsdoctor.Reports.Cert;

/// <summary><c>wsdoctor cert inspect|verify --json</c>: one object, findings in the same shape as check's
/// (<see cref="JsonReport.FindingDocument"/>), versioned by <c>schemaVersion</c> like it; each certificate is its
/// <see cref="CertificateDetails"/> as it is.</summary>
public static class CertJsonReport
{
    public const int SchemaVersion = 1;

    public static string Inspect(CertInspection inspection) => ReportJson.Serialize(Document(inspection, "inspect", null));

    public static string Verify(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return ReportJson.Serialize(Document(deployment.Inspection, "verify", deployment));
    }

    private static CertDocument Document(CertInspection inspection, string command, Deployment? deployment)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var headline = inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Error) ?? inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Warning);
        return new CertDocument(
            SchemaVersion,
            "wsdoctor",
            $"cert {command}",
            inspection.Chain.Source,
            inspection.Chain.Kind.ToString().ToLowerInvariant(),
            inspection.Chain.Host,
            deployment is null ? (inspection.Failed ? "fail" : headline is null ? "ok" : "warn") : deployment.Passed ? "ok" : "fail",
            headline?.Severity == Severity.Error ? JsonReport.FindingDocument(headline) : null,
            [.. inspection.Chain.Notes.Select(n => n.En)],
            inspection.TrustStore,
            inspection.TrustedPath,
            [.. inspection.Aia.Select(a => a.En)],
            inspection.Certificates,
            [.. inspection.Findings.Select(JsonReport.FindingDocument)],
            [.. inspection.Clients.Select(v => new ClientDocument(v.Id, v.Client, v.Outcome.ToString().ToLowerInvariant(), v.Why, v.Source))],
            deployment is null ? null : [.. deployment.Checks.Select(c => new CheckLine(c.Passed, c.Text.En))],
            deployment?.LoadFirst,
            deployment?.Snippets.ToDictionary(s => s.Server.ToLowerInvariant(), s => s.Lines));
    }

    public sealed record CertDocument(
        int SchemaVersion,
        string Tool,
        string Command,
        string Source,
        string Kind,
        string? Host,
        string Verdict,
        FindingDocument? RootCause,
        IReadOnlyList<string> Notes,
        string TrustStore,
        string? TrustedPath,
        IReadOnlyList<string> Aia,
        IReadOnlyList<CertificateDetails> Certificates,
        IReadOnlyList<FindingDocument> Findings,
        IReadOnlyList<ClientDocument> Clients,
        IReadOnlyList<CheckLine>? Checks,
        string? LoadFirst,
        Dictionary<string, IReadOnlyList<string>>? Snippets);

    public sealed record ClientDocument(string Id, string Client, string Outcome, string Why, string Source);

    public sealed record CheckLine(bool Passed, string Check);
}
