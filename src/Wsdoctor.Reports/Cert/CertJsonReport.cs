using System.Text.Json;
using Wsdoctor.CertTool.Inspection;
using Wsdoctor.CertTool.Verification;
using Wsdoctor.Findings;

namespace Wsdoctor.Reports.Cert;

/// <summary><c>wsdoctor cert inspect|verify --json</c>: one object, findings in the same shape as check's
/// (<see cref="JsonReport.FindingDocument"/>), versioned by <c>schemaVersion</c> like it.</summary>
public static class CertJsonReport
{
    public const int SchemaVersion = 1;

    public static string Inspect(CertInspection inspection) =>
        JsonSerializer.Serialize(Document(inspection, "inspect", null), JsonReport.Options);

    public static string Verify(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return JsonSerializer.Serialize(Document(deployment.Inspection, "verify", deployment), JsonReport.Options);
    }

    private static object Document(CertInspection inspection, string command, Deployment? deployment)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var headline = inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Error) ?? inspection.Findings.FirstOrDefault(f => f.Severity == Severity.Warning);
        return new
        {
            schemaVersion = SchemaVersion,
            tool = "wsdoctor",
            command = $"cert {command}",
            source = inspection.Chain.Source,
            kind = inspection.Chain.Kind.ToString().ToLowerInvariant(),
            host = inspection.Chain.Host,
            verdict = deployment is null ? (inspection.Failed ? "fail" : headline is null ? "ok" : "warn") : deployment.Passed ? "ok" : "fail",
            rootCause = headline?.Severity == Severity.Error ? JsonReport.FindingDocument(headline) : null,
            notes = inspection.Chain.Notes,
            trustStore = inspection.TrustStore,
            trustedPath = inspection.TrustedPath,
            aia = inspection.Aia,
            certificates = inspection.Certificates.Select(c => new
            {
                position = c.Position,
                origin = c.Origin,
                role = c.Role,
                subject = c.Subject,
                issuer = c.Issuer,
                signedBy = c.SignedBy,
                subjectAltNames = c.SubjectAltNames,
                notBefore = c.NotBefore,
                notAfter = c.NotAfter,
                daysLeft = c.DaysLeft,
                key = c.Key,
                signatureAlgorithm = c.SignatureAlgorithm,
                subjectKeyId = c.SubjectKeyId,
                authorityKeyId = c.AuthorityKeyId,
                caIssuers = c.CaIssuers,
                ocsp = c.Ocsp,
                basicConstraints = c.BasicConstraints,
                extendedKeyUsage = c.ExtendedKeyUsage,
                nameConstraints = c.NameConstraints,
                sha256 = c.Sha256,
            }),
            findings = inspection.Findings.Select(JsonReport.FindingDocument),
            clients = inspection.Clients.Select(v => new { id = v.Id, client = v.Client, outcome = v.Outcome.ToString().ToLowerInvariant(), why = v.Why, source = v.Source }),
            checks = deployment?.Checks.Select(c => new { passed = c.Passed, check = c.Text }),
            loadFirst = deployment?.LoadFirst,
            snippets = deployment?.Snippets.ToDictionary(s => s.Server.ToLowerInvariant(), s => s.Lines),
        };
    }
}
