using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Wsdoctor.Load.Errors;
using Wsdoctor.Load.Runs;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Bench;

/// <summary>bench's JSON report (docs/bench-json.md): the <see cref="LoadReport"/> as it is, camelCase, enums in
/// lower case; read back by <c>wsdoctor bench merge</c>. Source-generated (<see cref="BenchJsonContext"/>).</summary>
public static class BenchJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<ErrorStage>(JsonNamingPolicy.KebabCaseLower) },
        TypeInfoResolver = BenchJsonContext.Default,
    };

    private static JsonTypeInfo<LoadReport> Report => (JsonTypeInfo<LoadReport>)Options.GetTypeInfo(typeof(LoadReport));

    public static string Write(LoadReport report) => JsonSerializer.Serialize(report, Report);

    /// <exception cref="UsageException">Not a bench report.</exception>
    public static LoadReport Read(string json, string file)
    {
        try
        {
            var report = JsonSerializer.Deserialize(json, Report);
            return report?.SchemaVersion == 1 ? report : throw new UsageException(T($"{file}: not a wsdoctor bench report of schema version 1", $"{file}：不是 schema 版本为 1 的 wsdoctor bench 报告"));
        }
        catch (JsonException ex)
        {
            throw new UsageException(T($"{file}: not a wsdoctor bench report: {ex.Message}", $"{file}：不是 wsdoctor bench 报告：{ex.Message}"));
        }
    }
}

[JsonSerializable(typeof(LoadReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
