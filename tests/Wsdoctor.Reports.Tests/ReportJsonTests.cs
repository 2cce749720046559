using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Wsdoctor.Findings;

namespace Wsdoctor.Reports.Tests;

/// <summary>The source-generated JSON of the reports (what the Native AOT binary writes): every enum a report can
/// contain is written in kebab-case, and a finding's <c>Data</c> values keep their JSON form without reflection.</summary>
public sealed class ReportJsonTests
{
    public static TheoryData<Type> ReachableEnums()
    {
        var data = new TheoryData<Type>();
        foreach (var type in EnumTypes())
        {
            data.Add(type);
        }

        return data;
    }

    private static List<Type> EnumTypes()
    {
        // The generated context has one JsonTypeInfo property per type it reaches from the documents it lists.
        var data = new List<Type>();
        foreach (var property in typeof(ReportJsonContext).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>)
                && property.PropertyType.GetGenericArguments()[0] is { IsEnum: true } type)
            {
                data.Add(type);
            }
        }

        return data;
    }

    [Fact]
    public void Context_ReachesTheReportsEnums()
    {
        Assert.Contains(typeof(Probes.Diagnosis.Verdict), EnumTypes());
        Assert.Contains(typeof(Scenarios.Running.FailureKind), EnumTypes());
    }

    [Theory]
    [MemberData(nameof(ReachableEnums))]
    public void Options_EveryReachableEnum_IsWrittenInKebabCase(Type type)
    {
        var value = Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;

        var json = JsonSerializer.Serialize(value, ReportJson.Options.GetTypeInfo(type));

        Assert.Equal($"\"{JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString()!)}\"", json);
    }

    [Fact]
    public void Render_FindingData_KeepsEachValuesJsonForm()
    {
        var data = new Dictionary<string, object?>
        {
            ["text"] = "a\"b",
            ["count"] = 3,
            ["big"] = 5_000_000_000L,
            ["ratio"] = 0.25,
            ["flag"] = true,
            ["none"] = null,
            ["when"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            ["list"] = new[] { "x", "y" },
            ["query"] = new[] { 1, 2 }.Select(i => i * 10),
            ["nested"] = new Dictionary<string, object?> { ["severity"] = Severity.Warning, ["ports"] = new List<int> { 80 } },
            ["how"] = Text.T("a Close frame", "Close 帧"),
        };
        var finding = new Finding("ws.no-upgrade", Layer.Http, Severity.Error, Text.Verbatim("m"), [Text.Verbatim("e")], Text.Verbatim("f"), data);

        var written = JsonDocument.Parse(ReportJson.Serialize(JsonReport.FindingDocument(finding))).RootElement.GetProperty("data");

        var expected = JsonNode.Parse("""{"text":"a\"b","count":3,"big":5000000000,"ratio":0.25,"flag":true,"none":null,"when":"2026-01-02T03:04:05+00:00","list":["x","y"],"query":[10,20],"nested":{"severity":"warning","ports":[80]},"how":"a Close frame"}""");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(written.GetRawText())), written.GetRawText());
    }

    [Fact]
    public void Render_FindingDataOfAnUnknownType_FailsLoudly()
    {
        var finding = new Finding("ws.no-upgrade", Layer.Http, Severity.Error, Text.Verbatim("m"), [Text.Verbatim("e")], Text.Verbatim("f"), new Dictionary<string, object?> { ["odd"] = new object() });

        var e = Assert.Throws<NotSupportedException>(() => ReportJson.Serialize(JsonReport.FindingDocument(finding)));
        Assert.Contains("Object", e.Message, StringComparison.Ordinal);
    }
}
