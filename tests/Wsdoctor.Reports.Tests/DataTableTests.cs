using System.Text.Json;
using System.Text.RegularExpressions;
using Wsdoctor.Lab;

namespace Wsdoctor.Reports.Tests;

/// <summary>The "data by finding code" table of docs/json-schema.md against the data the probes really attach:
/// every lab scenario is run, and every key of every finding in the rendered JSON must be documented for its code,
/// with the documented type.</summary>
public sealed partial class DataTableTests
{
    [Fact]
    public async Task Doc_DataTable_DocumentsEveryKeyTheLabMakesTheProbesReport()
    {
        var documented = DocumentedData(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "json-schema.md")));
        using var environment = LabEnvironment.Create();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var results = await LabRunner.RunAsync(LabCatalog.All, environment, ct: timeout.Token);

        var problems = new List<string>();
        var seen = new HashSet<string>();
        foreach (var result in results.Where(r => r.Report is not null))
        {
            using var json = JsonDocument.Parse(JsonReport.Render(result.Report!));
            foreach (var finding in json.RootElement.GetProperty("findings").EnumerateArray())
            {
                var code = finding.GetProperty("code").GetString()!;
                seen.Add(code);
                if (!documented.TryGetValue(code, out var keys))
                {
                    problems.Add($"{result.Scenario.Name}: {code} has no row in the data table");
                    continue;
                }

                foreach (var data in finding.GetProperty("data").EnumerateObject())
                {
                    if (!keys.TryGetValue(data.Name, out var type))
                    {
                        problems.Add($"{result.Scenario.Name}: {code}.{data.Name} is not documented");
                    }
                    else if (!HasType(data.Value, type))
                    {
                        problems.Add($"{result.Scenario.Name}: {code}.{data.Name} is documented as {type}, got {data.Value.GetRawText()}");
                    }
                }
            }
        }

        Assert.Empty(problems);
        // The lab covers most of the catalogue; far fewer codes would mean the scenarios did not run.
        Assert.True(seen.Count >= 40, $"only {seen.Count} codes seen: {string.Join(", ", seen)}");
    }

    [Fact]
    public void HasType_DocumentedTypes_AcceptOnlyMatchingValues()
    {
        Assert.True(HasType(Json("3601"), "integer"));
        Assert.False(HasType(Json("4.5"), "integer"));
        Assert.True(HasType(Json("4.5"), "number"));
        Assert.True(HasType(Json("null"), "string or null"));
        Assert.False(HasType(Json("null"), "string"));
        Assert.True(HasType(Json("\"2026-11-21T09:58:08+00:00\""), "date-time"));
        Assert.False(HasType(Json("\"yesterday\""), "date-time"));
        Assert.True(HasType(Json("[\"a\"]"), "string[]"));
        Assert.False(HasType(Json("[1]"), "string[]"));
        Assert.True(HasType(Json("[{\"port\": 1}]"), "object[]"));
    }

    /// <summary>Rows "| `code` | `key` | type | meaning |"; a "—" key documents a code with an empty data object.</summary>
    private static Dictionary<string, Dictionary<string, string>> DocumentedData(string markdown)
    {
        var table = new Dictionary<string, Dictionary<string, string>>();
        foreach (Match row in DataRow().Matches(markdown))
        {
            var keys = table.TryGetValue(row.Groups["code"].Value, out var existing) ? existing : table[row.Groups["code"].Value] = [];
            if (row.Groups["key"].Success)
            {
                keys[row.Groups["key"].Value] = row.Groups["type"].Value.Trim();
            }
        }

        Assert.True(table.Count >= 45, $"the data table of docs/json-schema.md has only {table.Count} codes");
        return table;
    }

    private static bool HasType(JsonElement value, string documented) =>
        documented.Split(" or ").Any(type => type.Trim() switch
        {
            "null" => value.ValueKind == JsonValueKind.Null,
            "string" => value.ValueKind == JsonValueKind.String,
            "date-time" => value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "integer" => value.ValueKind == JsonValueKind.Number && value.GetDouble() == Math.Floor(value.GetDouble()),
            "string[]" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String),
            "object[]" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Object),
            var other => throw new InvalidOperationException($"undocumented type '{other}' in the data table"),
        });

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [GeneratedRegex(@"^\| `(?<code>[a-z0-9]+\.[a-z0-9-]+)` \| (?:`(?<key>\w+)`|—) \|(?<type>[^|]*)\|", RegexOptions.Multiline)]
    private static partial Regex DataRow();
}
