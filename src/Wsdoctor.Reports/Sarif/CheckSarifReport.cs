using System.Text.Json.Nodes;
using Wsdoctor.Findings;

namespace Wsdoctor.Reports.Sarif;

/// <summary><c>wsdoctor check --format sarif</c>: every finding of every target as a result. An endpoint is not a
/// file, so the location is logical: the target URL (secrets redacted) and the layer.</summary>
public static class CheckSarifReport
{
    public static string Render(CheckBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = batch.Targets.SelectMany(target => target.Report.Findings.Select(finding => new SarifResult(
            finding,
            [new JsonObject
            {
                ["logicalLocations"] = new JsonArray(new JsonObject
                {
                    ["name"] = finding.Layer.Name(),
                    ["fullyQualifiedName"] = $"{target.Report.Target}#{finding.Layer.Name()}",
                    ["kind"] = "module",
                }),
            }],
            new Dictionary<string, JsonNode?>
            {
                ["target"] = target.Report.Target,
                ["source"] = target.Source,
                ["rootCause"] = finding == target.Report.RootCause,
            }))).ToArray();
        return SarifLog.Render(results);
    }
}
