using System.Text.Json;

namespace Wsdoctor.Reports.Tests;

/// <summary>A validator for the part of JSON Schema 2020-12 that docs/json-schema.json uses: type, enum, required,
/// properties, additionalProperties (boolean), items, minItems, anyOf and local $ref. A keyword outside that subset
/// throws, so the schema file cannot state a constraint that nothing checks; annotations (title, description,
/// format...) are skipped.</summary>
public sealed class SubsetSchema(JsonElement root)
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "$comment", "$defs", "title", "description", "format", "examples"];

    public static SubsetSchema Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());

    public JsonElement Root { get; } = root;

    /// <summary>Every violation of the schema, as "path: problem".</summary>
    public IReadOnlyList<string> Validate(JsonElement instance) => Validate(instance, "#");

    /// <summary>Every violation of the sub-schema at <paramref name="pointer"/> (e.g. "#/$defs/checkTargets").</summary>
    public IReadOnlyList<string> Validate(JsonElement instance, string pointer)
    {
        var errors = new List<string>();
        Check(Resolve(pointer), instance, "$", errors, undeclared: null);
        return errors;
    }

    /// <summary>Properties the instance has but the schema does not declare. Standard JSON Schema allows them (readers
    /// must ignore new fields), but the published schema must document every field wsdoctor writes.</summary>
    public IReadOnlyList<string> Undeclared(JsonElement instance, string pointer = "#")
    {
        var undeclared = new List<string>();
        Check(Resolve(pointer), instance, "$", [], undeclared);
        return undeclared;
    }

    public JsonElement Resolve(string reference)
    {
        if (reference == "#")
        {
            return Root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local references are supported: {reference}");
        }

        var node = Root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private void Check(JsonElement schema, JsonElement instance, string path, List<string> errors, List<string>? undeclared)
    {
        var open = false;
        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case "type":
                    var types = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(t => t.GetString()!).ToArray() : [value.GetString()!];
                    if (!types.Any(t => HasType(instance, t)))
                    {
                        errors.Add($"{path}: expected {string.Join(" or ", types)}, got {Describe(instance)}");
                    }

                    break;
                case "enum":
                    if (!value.EnumerateArray().Any(allowed => JsonElement.DeepEquals(allowed, instance)))
                    {
                        errors.Add($"{path}: {Describe(instance)} is not one of {value.GetRawText()}");
                    }

                    break;
                case "required":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in value.EnumerateArray().Select(n => n.GetString()!).Where(n => !instance.TryGetProperty(n, out _)))
                        {
                            errors.Add($"{path}: required property '{name}' is missing");
                        }
                    }

                    break;
                case "properties":
                    if (instance.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in value.EnumerateObject())
                        {
                            if (instance.TryGetProperty(property.Name, out var child))
                            {
                                Check(property.Value, child, $"{path}.{property.Name}", errors, undeclared);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.True)
                    {
                        open = true;
                    }
                    else if (value.ValueKind != JsonValueKind.False)
                    {
                        throw new NotSupportedException($"{path}: additionalProperties must be a boolean in this subset");
                    }
                    else if (instance.ValueKind == JsonValueKind.Object)
                    {
                        var declared = Declared(schema);
                        errors.AddRange(instance.EnumerateObject().Where(x => !declared.Contains(x.Name)).Select(x => $"{path}: property '{x.Name}' is not allowed"));
                    }

                    break;
                case "items":
                    if (instance.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in instance.EnumerateArray())
                        {
                            Check(value, item, $"{path}[{i++}]", errors, undeclared);
                        }
                    }

                    break;
                case "minItems":
                    if (instance.ValueKind == JsonValueKind.Array && instance.GetArrayLength() < value.GetInt32())
                    {
                        errors.Add($"{path}: {instance.GetArrayLength()} item(s), at least {value.GetInt32()} required");
                    }

                    break;
                case "anyOf":
                    var matching = value.EnumerateArray().FirstOrDefault(branch => Matches(branch, instance, path));
                    if (matching.ValueKind == JsonValueKind.Undefined)
                    {
                        errors.Add($"{path}: {Describe(instance)} matches none of the anyOf branches");
                        foreach (var branch in value.EnumerateArray())
                        {
                            Check(branch, instance, path, errors, undeclared: null);
                        }
                    }
                    else
                    {
                        Check(matching, instance, path, errors, undeclared);
                    }

                    break;
                case "$ref":
                    Check(Resolve(value.GetString()!), instance, path, errors, undeclared);
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"keyword '{keyword.Name}' (at {path}) is outside the validated subset");
                    }

                    break;
            }
        }

        if (undeclared is not null && !open && instance.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out _))
        {
            var declared = Declared(schema);
            undeclared.AddRange(instance.EnumerateObject().Where(p => !declared.Contains(p.Name)).Select(p => $"{path}.{p.Name}"));
        }
    }

    private static HashSet<string> Declared(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToHashSet() : [];

    private bool Matches(JsonElement schema, JsonElement instance, string path)
    {
        var errors = new List<string>();
        Check(schema, instance, path, errors, undeclared: null);
        return errors.Count == 0;
    }

    private static bool HasType(JsonElement instance, string type) => type switch
    {
        "null" => instance.ValueKind == JsonValueKind.Null,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" => instance.ValueKind == JsonValueKind.String,
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "number" => instance.ValueKind == JsonValueKind.Number,
        // JSON Schema: an integer is any number with a zero fractional part (3601 and 3601.0 alike).
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.GetDouble() == Math.Floor(instance.GetDouble()),
        _ => throw new NotSupportedException($"type '{type}'"),
    };

    private static string Describe(JsonElement instance) =>
        instance.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? instance.ValueKind.ToString().ToLowerInvariant() : instance.GetRawText();
}
