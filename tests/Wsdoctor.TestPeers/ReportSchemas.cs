using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Json.Schema;

namespace Wsdoctor.TestPeers;

/// <summary>The real schemas CI systems hold reports to (Schemas/README.md): JUnit XML against junit.xsd with
/// System.Xml.Schema, SARIF against the official SARIF 2.1.0 JSON schema with JsonSchema.Net. Each returns every
/// problem found, so a test can show what broke.</summary>
public static class ReportSchemas
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Schemas");

    private static readonly Lazy<XmlSchemaSet> Junit = new(() =>
    {
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(Path.Combine(Folder, "junit.xsd"));
        set.Add(null, reader);
        set.Compile();
        return set;
    });

    private static readonly Lazy<JsonSchema> Sarif = new(() =>
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "sarif-schema-2.1.0.json")))!.AsObject();
        // Draft-04 → draft-07: the keywords it uses mean the same in both, except for boolean exclusiveMinimum/Maximum
        // (refused below). The root's "id" (draft-04 for $id) is dropped: every $ref is local, and JsonSchema.Net 8
        // refuses this schema with a $id ("overwriting registered schemas").
        var text = schema.ToJsonString();
        if (text.Contains("\"exclusiveMinimum\":true", StringComparison.Ordinal) || text.Contains("\"exclusiveMaximum\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the SARIF schema uses draft-04 boolean exclusiveMinimum/Maximum: translate them");
        }

        schema["$schema"] = "http://json-schema.org/draft-07/schema#";
        schema.Remove("id");
        return JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    });

    /// <summary>XSD violations, plus counts on testsuites/testsuite that disagree with the testcases they hold
    /// (what readers show as totals).</summary>
    public static IReadOnlyList<string> ValidateJunit(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Junit.Value };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception.LineNumber}: {e.Message}");
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            errors.Add($"not well-formed: {ex.Message}");
            return errors;
        }

        var document = XDocument.Parse(xml);
        foreach (var suite in document.Descendants("testsuite"))
        {
            Count(errors, suite, "tests", suite.Elements("testcase").Count());
            Count(errors, suite, "failures", suite.Elements("testcase").Count(c => c.Element("failure") is not null));
            Count(errors, suite, "skipped", suite.Elements("testcase").Count(c => c.Element("skipped") is not null));
        }

        if (document.Root is { Name.LocalName: "testsuites" } root)
        {
            Count(errors, root, "tests", root.Descendants("testcase").Count());
            Count(errors, root, "failures", root.Descendants("testcase").Count(c => c.Element("failure") is not null));
        }

        return errors;
    }

    public static IReadOnlyList<string> ValidateSarif(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Sarif.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToArray();
    }

    private static void Count(List<string> errors, XElement element, string attribute, int actual)
    {
        if (element.Attribute(attribute) is { } declared && declared.Value != actual.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            errors.Add($"{element.Name.LocalName} '{element.Attribute("name")?.Value}': {attribute}=\"{declared.Value}\" but {actual} testcases");
        }
    }
}
