using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Wsdoctor.Scenarios.Loading;
using YamlDotNet.RepresentationModel;

namespace Wsdoctor.Scenarios.Tests.Loading;

/// <summary>docs/scenario.schema.json (for editors) agrees with the loader: every example file in docs/ and in
/// these tests is valid for both, and files the loader refuses for their shape the schema refuses too.</summary>
public sealed class SchemaTests
{
    private static readonly string Root = FindRoot();

    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(Root, "docs", "scenario.schema.json"));

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs", "examples"), "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(Root, "tests", "Wsdoctor.Scenarios.Tests", "Files"), "*.yaml")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Root, file));
        }

        return data;
    }

    [Fact]
    public void ThereAreExamples() => Assert.True(ExampleFiles().Count >= 3);

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void EveryExampleIsValidForTheSchemaAndTheLoader(string relative)
    {
        var path = Path.Combine(Root, relative);
        var results = Evaluate(File.ReadAllText(path));
        Assert.True(results.IsValid, Errors(results));
        var file = ScenarioLoader.Load(path, Env);
        Assert.NotEmpty(file.Scenarios);
    }

    [Theory]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - sned: hi\n")]
    [InlineData("target: { url: \"ws://a/\", timeot: 1s }\nsteps: []\n")]
    [InlineData("target: { url: \"http://a/\" }\nsteps: []\n")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - wait: soon\n")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - close: { code: 999 }\n")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - expect: { where: { \"$.a\": { ge: 1 } } }\n")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps:\n  - repeat: 2\n")]
    [InlineData("target: { url: \"ws://a/\" }\nvars: { seq: 1 }\nsteps: []\n")]
    [InlineData("target: { url: \"ws://a/\" }\nsteps: []\nscenarios: [ { name: a, steps: [] } ]\n")]
    public void WhatTheLoaderRefusesForItsShapeTheSchemaRefuses(string yaml)
    {
        Assert.Throws<ScenarioFileException>(() => LoaderTests.Parse(yaml));
        Assert.False(Evaluate(yaml).IsValid);
    }

    // Example files take their URL and token from the environment.
    private static string? Env(string name) => name.EndsWith("URL", StringComparison.Ordinal) ? "ws://127.0.0.1:1/" : "x";

    private static EvaluationResults Evaluate(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var reader = new YamlReader("x.yaml", Root, Env);
        var json = reader.Json(stream.Documents[0].RootNode, Wsdoctor.Findings.Text.T("the file", "文件顶层"), templates: false);
        using var document = JsonDocument.Parse(json!.ToJsonString());
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults results) =>
        string.Join('\n', (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docs", "scenario.schema.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("docs/scenario.schema.json not found above the test assembly");
    }
}
