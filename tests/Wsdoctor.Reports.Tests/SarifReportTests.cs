using System.Text.Json;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;
using Wsdoctor.Reports.Sarif;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Reports.Tests;

/// <summary>check's SARIF, rendered from real lab checks and held to the official SARIF 2.1.0 schema.</summary>
public sealed class SarifReportTests(LabReports lab) : IClassFixture<LabReports>
{
    [Theory]
    [MemberData(nameof(LabReports.All), MemberType = typeof(LabReports))]
    public void Render_LabReport_ValidatesAgainstSarif210Schema(string scenario)
    {
        var sarif = CheckSarifReport.Render(CheckBatch.Single(lab[scenario].Report));

        Assert.Empty(ReportSchemas.ValidateSarif(sarif));
    }

    [Fact]
    public void Render_NameMismatch_RulesFromTheCatalogueResultsPerFinding()
    {
        var report = lab[LabReports.NameMismatch].Report;

        using var sarif = JsonDocument.Parse(CheckSarifReport.Render(CheckBatch.Single(report)));

        var run = sarif.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToArray();
        Assert.Equal(report.Findings.Select(f => f.Code).Distinct(), rules.Select(r => r.GetProperty("id").GetString()));
        var rule = rules.Single(r => r.GetProperty("id").GetString() == Codes.TlsNameMismatch);
        Assert.Equal(Catalogue.Get(Codes.TlsNameMismatch).Title, rule.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal(Explanations.Get(Codes.TlsNameMismatch), rule.GetProperty("help").GetProperty("markdown").GetString());
        var results = run.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(report.Findings.Count, results.Length);
        var root = results.Single(r => r.GetProperty("properties").GetProperty("rootCause").GetBoolean());
        Assert.Equal(Codes.TlsNameMismatch, root.GetProperty("ruleId").GetString());
        Assert.Equal("error", root.GetProperty("level").GetString());
        Assert.Equal(report.RootCause!.Message, root.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal(rules.ToList().FindIndex(r => r.GetProperty("id").GetString() == Codes.TlsNameMismatch), root.GetProperty("ruleIndex").GetInt32());
    }

    [Theory]
    [InlineData("version", "2.0.0")]
    [InlineData("level", "fatal")]
    [InlineData("ruleIndex", "-2")]
    [InlineData("message", "")]
    public void ValidateSarif_RenderedThenBroken_IsRejected(string field, string value)
    {
        var document = JsonNode.Parse(CheckSarifReport.Render(CheckBatch.Single(lab[LabReports.NameMismatch].Report)))!;
        var result = document["runs"]![0]!["results"]![0]!;
        switch (field)
        {
            case "version":
                document["version"] = value;
                break;
            case "ruleIndex":
                result["ruleIndex"] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "message":
                result.AsObject().Remove("message");
                break;
            default:
                result[field] = value;
                break;
        }

        Assert.Empty(ReportSchemas.ValidateSarif(CheckSarifReport.Render(CheckBatch.Single(lab[LabReports.NameMismatch].Report))));
        Assert.NotEmpty(ReportSchemas.ValidateSarif(document.ToJsonString()));
    }
}
