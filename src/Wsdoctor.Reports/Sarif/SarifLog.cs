using System.Reflection;
using System.Text.Json;
using Wsdoctor.Findings;

namespace Wsdoctor.Reports.Sarif;

/// <summary>One result: a finding, where it applies (SARIF <c>location</c> objects), and properties of its own.</summary>
public sealed record SarifResult(Finding Finding, IReadOnlyList<object> Locations, IReadOnlyDictionary<string, object?> Properties);

/// <summary>A SARIF 2.1.0 log with one run of wsdoctor (OASIS SARIF 2.1.0, errata 01), for code-scanning and CI
/// annotation tools. The rules are the catalogue entries the results use: id = finding code, short description = its
/// title, help = its fix and the long text of <c>wsdoctor explain</c>.</summary>
public static class SarifLog
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private static readonly string ToolVersion =
        typeof(SarifLog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string Render(IReadOnlyList<SarifResult> results, IReadOnlyDictionary<string, object>? originalUriBaseIds = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var codes = results.Select(r => r.Finding.Code).Distinct(StringComparer.Ordinal).ToList();
        var run = new Dictionary<string, object?>
        {
            ["tool"] = new
            {
                driver = new
                {
                    name = "wsdoctor",
                    version = ToolVersion,
                    rules = codes.Select(Rule),
                },
            },
            ["results"] = results.Select(r => new
            {
                ruleId = r.Finding.Code,
                ruleIndex = codes.IndexOf(r.Finding.Code),
                level = Level(r.Finding.Severity),
                message = new { text = r.Finding.Message },
                locations = r.Locations,
                properties = new Dictionary<string, object?>(r.Properties)
                {
                    ["evidence"] = r.Finding.Evidence,
                    ["fix"] = r.Finding.Fix,
                },
            }),
        };
        if (originalUriBaseIds is not null)
        {
            run["originalUriBaseIds"] = originalUriBaseIds;
        }

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new[] { run },
        }, JsonReport.Options);
    }

    private static object Rule(string code)
    {
        var entry = Catalogue.Get(code);
        var explain = $"wsdoctor explain {code}";
        return new
        {
            id = code,
            shortDescription = new { text = entry.Title },
            fullDescription = new { text = $"{entry.Title}. {entry.Fix}" },
            help = new { text = $"{entry.Fix}\nMore: {explain}", markdown = Explanations.Get(code) ?? $"{entry.Fix}\n\nMore: `{explain}`" },
            defaultConfiguration = new { level = Level(entry.Severity) },
            properties = new { layer = entry.Layer.Name(), tags = new[] { entry.Layer.Name() } },
        };
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
