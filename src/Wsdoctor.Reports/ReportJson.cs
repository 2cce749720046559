using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Browser;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Scenarios.Running;

namespace Wsdoctor.Reports;

/// <summary>The options every JSON report is written with, over the source-generated <see cref="ReportJsonContext"/>:
/// no reflection, so the Native AOT binary and the JIT build write the same bytes.</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serializes a type <see cref="ReportJsonContext"/> lists, with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = ReportJsonContext.Default,
        };
        // Every enum a report writes, in kebab-case (the generic converter needs no runtime code generation);
        // ReportJsonTests fails when a reachable enum is missing here.
        options.Converters.Add(Kebab<Verdict>());
        options.Converters.Add(Kebab<LayerStatus>());
        options.Converters.Add(Kebab<BrowserOutcome>());
        options.Converters.Add(Kebab<StepStatus>());
        options.Converters.Add(Kebab<FailureKind>());
        options.Converters.Add(new DataValueConverter());
        options.MakeReadOnly();
        return options;
    }

    private static JsonStringEnumConverter<T> Kebab<T>()
        where T : struct, Enum => new(JsonNamingPolicy.KebabCaseLower);

    /// <summary>Writes the values of a finding's <c>Data</c> (declared <c>object</c>): strings, numbers, booleans,
    /// times, enums (kebab-case), JSON nodes, dictionaries and sequences of those, and any type the context knows.
    /// Anything else is our bug (a new kind of evidence): it throws, and the lab's JSON run shows it.</summary>
    private sealed class DataValueConverter : JsonConverter<object>
    {
        public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonElement.ParseValue(ref reader);

        public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
        {
            switch (value)
            {
                case string s: writer.WriteStringValue(s); break;
                // Machine-readable data is English, like every JSON text.
                case Text t: writer.WriteStringValue(t.En); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case int i: writer.WriteNumberValue(i); break;
                case long l: writer.WriteNumberValue(l); break;
                case short sh: writer.WriteNumberValue(sh); break;
                case byte by: writer.WriteNumberValue(by); break;
                case uint ui: writer.WriteNumberValue(ui); break;
                case ulong ul: writer.WriteNumberValue(ul); break;
                case ushort us: writer.WriteNumberValue(us); break;
                case double d: writer.WriteNumberValue(d); break;
                case float f: writer.WriteNumberValue(f); break;
                case decimal m: writer.WriteNumberValue(m); break;
                case DateTimeOffset dto: writer.WriteStringValue(dto); break;
                case DateTime dt: writer.WriteStringValue(dt); break;
                case TimeSpan ts: writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture)); break;
                case Guid g: writer.WriteStringValue(g); break;
                case Uri u: writer.WriteStringValue(u.OriginalString); break;
                case Enum e: writer.WriteStringValue(JsonNamingPolicy.KebabCaseLower.ConvertName(e.ToString())); break;
                case JsonNode node: node.WriteTo(writer, options); break;
                case JsonElement element: element.WriteTo(writer); break;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        WriteOrNull(writer, entry.Value, options);
                    }

                    writer.WriteEndObject();
                    break;
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    writer.WriteStartObject();
                    foreach (var (key, item) in pairs)
                    {
                        writer.WritePropertyName(key);
                        WriteOrNull(writer, item, options);
                    }

                    writer.WriteEndObject();
                    break;
                case IEnumerable sequence:
                    writer.WriteStartArray();
                    foreach (var item in sequence)
                    {
                        WriteOrNull(writer, item, options);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    if (value.GetType() != typeof(object) && options.TryGetTypeInfo(value.GetType(), out var info))
                    {
                        JsonSerializer.Serialize(writer, value, info);
                        break;
                    }

                    throw new NotSupportedException($"report data of type {value.GetType().Name} has no JSON form");
            }
        }

        private void WriteOrNull(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                Write(writer, value, options);
            }
        }
    }
}

/// <summary>Every document a JSON report writes; the generator follows their properties, so nested types need no entry.
/// The extra entries are the value types a finding's <c>Data</c> may hold that are not plain JSON.</summary>
[JsonSerializable(typeof(JsonReport.CheckDocument))]
[JsonSerializable(typeof(TargetsJsonReport.TargetsDocument))]
[JsonSerializable(typeof(LintJsonReport.LintDocument))]
[JsonSerializable(typeof(ScenarioJsonReport.TestDocument))]
[JsonSerializable(typeof(Cert.CertJsonReport.CertDocument))]
[JsonSerializable(typeof(Cert.CertActionJsonReport.ChainDocument))]
[JsonSerializable(typeof(Cert.CertActionJsonReport.DevDocument))]
[JsonSerializable(typeof(LabJsonReport.LabDocument))]
[JsonSerializable(typeof(Verdict))]
[JsonSerializable(typeof(LayerStatus))]
[JsonSerializable(typeof(string))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
