using System.Reflection;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;

namespace Wsdoctor.Reports.Sarif;

/// <summary>One result: a finding, where it applies (SARIF <c>location</c> objects), and properties of its own.</summary>
public sealed record SarifResult(Finding Finding, IReadOnlyList<JsonObject> Locations, IReadOnlyDictionary<string, JsonNode?> Properties);

/// <summary>A SARIF 2.1.0 log with one run of wsdoctor (OASIS SARIF 2.1.0, errata 01), for code-scanning and CI
/// annotation tools. The rules are the catalogue entries the results use: id = finding code, short description = its
/// title, help = its fix and the long text of <c>wsdoctor explain</c>. Built as JSON nodes: nothing is serialized by
/// reflection (the native binary has none).</summary>
public static class SarifLog
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private static readonly string ToolVersion =
        typeof(SarifLog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string Render(IReadOnlyList<SarifResult> results, JsonObject? originalUriBaseIds = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var codes = results.Select(r => r.Finding.Code).Distinct(StringComparer.Ordinal).ToList();
        var run = new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = "wsdoctor",
                    ["version"] = ToolVersion,
                    ["rules"] = new JsonArray([.. codes.Select(Rule)]),
                },
            },
            ["results"] = new JsonArray([.. results.Select(r => (JsonNode)Result(r, codes))]),
        };
        if (originalUriBaseIds is not null)
        {
            run["originalUriBaseIds"] = originalUriBaseIds;
        }

        return new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(run),
        }.ToJsonString(JsonReport.Options);
    }

    private static JsonObject Result(SarifResult r, List<string> codes)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in r.Properties)
        {
            properties[name] = value?.DeepClone();
        }

        properties["evidence"] = new JsonArray([.. r.Finding.Evidence.Select(e => (JsonNode?)JsonValue.Create(e.En))]);
        properties["fix"] = r.Finding.Fix.En;
        return new JsonObject
        {
            ["ruleId"] = r.Finding.Code,
            ["ruleIndex"] = codes.IndexOf(r.Finding.Code),
            ["level"] = Level(r.Finding.Severity),
            ["message"] = new JsonObject { ["text"] = r.Finding.Message.En },
            ["locations"] = new JsonArray([.. r.Locations.Select(l => l.DeepClone())]),
            ["properties"] = properties,
        };
    }

    private static JsonNode Rule(string code)
    {
        var entry = Catalogue.Get(code);
        var explain = $"wsdoctor explain {code}";
        return new JsonObject
        {
            ["id"] = code,
            ["shortDescription"] = new JsonObject { ["text"] = entry.Title },
            ["fullDescription"] = new JsonObject { ["text"] = $"{entry.Title}. {entry.Fix}" },
            ["help"] = new JsonObject { ["text"] = $"{entry.Fix}\nMore: {explain}", ["markdown"] = Explanations.Get(code) ?? $"{entry.Fix}\n\nMore: `{explain}`" },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(entry.Severity) },
            ["properties"] = new JsonObject { ["layer"] = entry.Layer.Name(), ["tags"] = new JsonArray(entry.Layer.Name()) },
        };
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
