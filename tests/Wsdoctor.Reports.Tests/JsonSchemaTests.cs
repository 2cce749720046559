using System.Text.Json;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports.Tests;

/// <summary>docs/json-schema.json is a promise to scripts: every report JsonReport renders from a real check must
/// satisfy it, and it must document every property written.</summary>
public sealed class JsonSchemaTests(LabReports lab) : IClassFixture<LabReports>
{
    private const string Targets = "#/$defs/checkTargets";

    private static readonly SubsetSchema Schema = SubsetSchema.Load(Path.Combine(AppContext.BaseDirectory, "docs", "json-schema.json"));

    public static TheoryData<string> Scenarios() =>
        new() { LabReports.Healthy, LabReports.NameMismatch, LabReports.ForbiddenOrigin, LabReports.Close1008 };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_LabReport_SatisfiesPublishedSchema(string scenario)
    {
        using var json = JsonDocument.Parse(JsonReport.Render(lab[scenario].Report));

        Assert.Empty(Schema.Validate(json.RootElement));
        // Both shapes of rootCause are exercised: null for the healthy endpoint, a finding for the others.
        Assert.Equal(scenario == LabReports.Healthy ? JsonValueKind.Null : JsonValueKind.Object, json.RootElement.GetProperty("rootCause").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Render_LabReport_WritesOnlyDocumentedProperties(string scenario)
    {
        using var json = JsonDocument.Parse(JsonReport.Render(lab[scenario].Report));

        Assert.Empty(Schema.Undeclared(json.RootElement));
    }

    [Fact]
    public void Doc_Example_SatisfiesPublishedSchema()
    {
        var markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "json-schema.md"));
        var start = markdown.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var end = markdown.IndexOf("\n```", start, StringComparison.Ordinal);
        Assert.True(start > "```json\n".Length && end > start, "docs/json-schema.md has no ```json example");

        using var example = JsonDocument.Parse(markdown[start..end]);

        Assert.Empty(Schema.Validate(example.RootElement));
        Assert.Empty(Schema.Undeclared(example.RootElement));
    }

    [Fact]
    public void Validate_DocumentsThatBreakTheSchema_AreRejected()
    {
        var rendered = JsonReport.Render(lab[LabReports.NameMismatch].Report);
        Assert.Empty(Schema.Validate(JsonDocument.Parse(rendered).RootElement));

        AssertRejected(rendered, d => d.AsObject().Remove("verdict"), "$: required property 'verdict' is missing");
        AssertRejected(rendered, d => d["verdict"] = "maybe", "$.verdict:");
        AssertRejected(rendered, d => d["schemaVersion"] = 2, "$.schemaVersion:");
        AssertRejected(rendered, d => d["totalMs"] = "57 ms", "$.totalMs:");
        AssertRejected(rendered, d => d["layers"]![3]!["status"] = "broken", "$.layers[3].status:");
        AssertRejected(rendered, d => d["layers"]![0]!["durationMs"] = "fast", "$.layers[0].durationMs:");
        AssertRejected(rendered, d => d["timings"]!.AsObject().Remove("tlsMs"), "$.timings: required property 'tlsMs' is missing");
        AssertRejected(rendered, d => d["connection"]!["httpStatus"] = 101.5, "$.connection.httpStatus:");
        AssertRejected(rendered, d => d["rootCause"] = 42, "$.rootCause:");
        AssertRejected(rendered, d => d["rootCause"]!["evidence"] = new JsonArray(), "$.rootCause.evidence:");
        AssertRejected(rendered, d => d["findings"]![0]!["severity"] = "fatal", "$.findings[0].severity:");
        AssertRejected(rendered, d => d["findings"]![0]!["code"] = "tls.no-such-code", "$.findings[0].code:");
        AssertRejected(rendered, d => d["findings"]![0]!["data"] = new JsonArray(), "$.findings[0].data:");
    }

    [Fact]
    public void RenderTargets_LabReports_SatisfyPublishedSchema()
    {
        var batch = new CheckBatch(
            new[] { LabReports.Healthy, LabReports.NameMismatch, LabReports.ForbiddenOrigin, LabReports.Close1008 }.Select((s, i) => new CheckTarget($"targets.txt:{i + 2}", lab[s].Report)).ToArray(),
            DateTimeOffset.UtcNow, 2345.678, "targets.txt");

        var rendered = TargetsJsonReport.Render(batch);
        using var json = JsonDocument.Parse(rendered);

        Assert.Empty(Schema.Validate(json.RootElement, Targets));
        Assert.Empty(Schema.Undeclared(json.RootElement, Targets));
        Assert.Equal("fail", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("summary").GetProperty("fail").GetInt32());
        Assert.Equal(JsonDocument.Parse(JsonReport.Render(lab[LabReports.Healthy].Report)).RootElement.GetProperty("target").GetString(), json.RootElement.GetProperty("targets")[0].GetProperty("report").GetProperty("target").GetString());

        AssertRejected(rendered, d => d["summary"]!.AsObject().Remove("fail"), "$.summary: required property 'fail' is missing", Targets);
        AssertRejected(rendered, d => d["targets"] = new JsonArray(), "$.targets:", Targets);
        AssertRejected(rendered, d => d["targets"]![1]!["report"]!["verdict"] = "maybe", "$.targets[1].report.verdict:", Targets);
        AssertRejected(rendered, d => d["targets"]![0]!.AsObject().Remove("source"), "$.targets[0]: required property 'source' is missing", Targets);
    }

    [Fact]
    public void Undeclared_PropertyOutsideData_IsReported()
    {
        var document = JsonNode.Parse(JsonReport.Render(lab[LabReports.NameMismatch].Report))!;
        document["layers"]![2]!["retries"] = 1;
        document["findings"]![0]!["data"]!["anyKey"] = "data is open: its keys are documented per code";

        var undeclared = Schema.Undeclared(JsonDocument.Parse(document.ToJsonString()).RootElement);

        Assert.Equal(["$.layers[2].retries"], undeclared);
    }

    [Fact]
    public void Schema_EveryDeclaredProperty_IsRequired()
    {
        // JsonReport writes every field, with null for "unknown"; a field that may be absent would need documenting.
        var problems = new List<string>();
        Walk(Schema.Root, "#", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Schema_FindingCodes_AreTheCatalogueCodesCheckCanReport()
    {
        var codes = Strings("#/$defs/finding/properties/code/enum");

        // Lint codes belong to `wsdoctor lint`, not to check reports.
        Assert.Equal(Catalogue.All.Where(e => e.Layer != Layer.Lint).Select(e => e.Code), codes);
    }

    [Fact]
    public void Schema_EnumValues_AreWhatJsonReportWrites()
    {
        Assert.Equal(Enum.GetValues<Verdict>().Select(Written), Strings("#/properties/verdict/enum"));
        Assert.Equal(Enum.GetValues<LayerStatus>().Select(Written), Strings("#/$defs/layer/properties/status/enum"));
        // The browser layer is reported after the connection layers when it ran.
        Assert.Equal(CheckRunner.CheckLayers.Append(Layer.Browser).Select(l => l.Name()), Strings("#/$defs/layer/properties/layer/enum"));
        Assert.Equal(Enum.GetValues<BrowserOutcome>().Select(Written), Strings("#/$defs/browser/properties/outcome/enum"));
        Assert.Equal(Enum.GetValues<Severity>().Select(s => s.Name()), Strings("#/$defs/finding/properties/severity/enum"));
        Assert.Equal(Enum.GetValues<Layer>().Where(l => l != Layer.Lint).Select(l => l.Name()), Strings("#/$defs/finding/properties/layer/enum"));
    }

    private static void AssertRejected(string valid, Action<JsonNode> breakIt, string expectedError, string pointer = "#")
    {
        var document = JsonNode.Parse(valid)!;
        breakIt(document);

        var errors = Schema.Validate(JsonDocument.Parse(document.ToJsonString()).RootElement, pointer);

        Assert.Contains(errors, e => e.StartsWith(expectedError, StringComparison.Ordinal));
    }

    private static string[] Strings(string pointer) => Schema.Resolve(pointer).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string Written<T>(T value) => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value, JsonReport.Options))!;

    private static void Walk(JsonElement schema, string path, List<string> problems)
    {
        if (schema.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in schema.EnumerateArray())
            {
                Walk(item, $"{path}/{i++}", problems);
            }

            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            problems.AddRange(properties.EnumerateObject().Where(p => !required.Contains(p.Name)).Select(p => $"{path}/properties/{p.Name} is not required"));
        }

        foreach (var child in schema.EnumerateObject().Where(c => c.Name != "enum"))
        {
            Walk(child.Value, $"{path}/{child.Name}", problems);
        }
    }
}
