using System.Text.RegularExpressions;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wsdoctor.Scenarios.Loading;

/// <summary>Reads a scenario file (docs/scenarios.md is its reference, docs/scenario.schema.json its schema) into
/// <see cref="ScenarioFile"/>. Everything that can be checked before connecting is checked here, each error with
/// its line and column: unknown keys (with a suggestion), wrong types, bad durations, regular expressions, JSON
/// paths, unset environment variables, variables nothing sets, calls to missing flows and call cycles.</summary>
public static partial class ScenarioLoader
{
    private static readonly string[] TopKeys = ["$schema", "name", "target", "vars", "flows", "scenarios", "steps", "expect-reject"];
    private static readonly string[] ScenarioKeys = ["name", "target", "vars", "steps", "expect-reject"];

    /// <summary>Files larger than this are refused: a scenario is hand-written text.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <exception cref="ScenarioFileException"/>
    /// <param name="overrides">Variables given on the command line (--var): they win over every vars: block.</param>
    public static ScenarioFile Load(string path, Func<string, string?>? environment = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                throw new ScenarioFileException(new SourceMark(path, 0, 0), $"the file is {info.Length} bytes; a scenario file is at most {MaxFileBytes / 1024 / 1024} MiB");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFileException(new SourceMark(path, 0, 0), $"cannot read the file: {ex.Message}");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, path, directory, environment ?? Environment.GetEnvironmentVariable, overrides);
    }

    /// <param name="file">The name errors and reports show.</param>
    /// <param name="baseDirectory">What relative paths in the file are relative to.</param>
    /// <exception cref="ScenarioFileException"/>
    public static ScenarioFile Parse(string text, string file, string baseDirectory, Func<string, string?> environment, IReadOnlyDictionary<string, string>? overrides = null)
    {
        overrides ??= new Dictionary<string, string>();
        ArgumentNullException.ThrowIfNull(text);
        var reader = new YamlReader(file, baseDirectory, environment);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException is { } inner && ex.Message.Contains("See inner", StringComparison.Ordinal) ? inner.Message : ex.Message;
            throw new ScenarioFileException(new SourceMark(file, (int)ex.Start.Line, (int)ex.Start.Column), $"not valid YAML: {StripMark(reason)}");
        }
        catch (ArgumentException ex) when (ex.Message.Contains("same key", StringComparison.Ordinal))
        {
            // YamlDotNet reports a duplicate key as the dictionary's ArgumentException, without a position.
            throw new ScenarioFileException(new SourceMark(file, 0, 0), $"not valid YAML: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner and its representation model throw these for some malformed input (a stray
            // control character in a flow mapping, a node where no node can start): a bad file, not our bug.
            var mark = parser.Current?.Start;
            throw new ScenarioFileException(new SourceMark(file, (int)(mark?.Line ?? 0), (int)(mark?.Column ?? 0)), "not valid YAML here");
        }

        if (stream.Documents.Count != 1)
        {
            throw new ScenarioFileException(new SourceMark(file, 1, 1), stream.Documents.Count == 0 ? "the file is empty" : "the file holds several YAML documents (---); put the scenarios in one list under scenarios:");
        }

        var root = reader.Mapping(stream.Documents[0].RootNode, "the file");
        var entries = reader.Entries(root, "the file", TopKeys).ToDictionary(e => e.Key, e => (e.KeyNode, e.Value), StringComparer.Ordinal);

        var target = entries.TryGetValue("target", out var t) ? ReadTarget(reader, t.Value, new TargetSpec()) : new TargetSpec();
        var vars = entries.TryGetValue("vars", out var v) ? ReadVars(reader, v.Value, new Dictionary<string, string>(StringComparer.Ordinal)) : new Dictionary<string, string>(StringComparer.Ordinal);
        var flows = entries.TryGetValue("flows", out var f) ? ReadFlows(reader, f.Value, target.Timeout) : new Dictionary<string, Flow>(StringComparer.Ordinal);

        var scenarios = new List<Scenario>();
        if (entries.TryGetValue("scenarios", out var s))
        {
            if (entries.TryGetValue("steps", out var stray))
            {
                throw reader.Error(stray.KeyNode, "steps: at the top is the one-scenario form; with scenarios: put the steps in each scenario");
            }

            if (entries.TryGetValue("expect-reject", out var strayReject))
            {
                throw reader.Error(strayReject.KeyNode, "expect-reject: at the top is for the one-scenario form; put it in the scenario it belongs to");
            }

            var list = reader.Sequence(s.Value, "scenarios");
            if (list.Children.Count == 0)
            {
                throw reader.Error(list, "scenarios is empty");
            }

            foreach (var item in list.Children)
            {
                scenarios.Add(ReadScenario(reader, item, target, vars, scenarios.Count + 1));
            }
        }
        else if (entries.TryGetValue("steps", out var steps))
        {
            var name = entries.TryGetValue("name", out var n) ? reader.Text(n.Value, "name") : Path.GetFileNameWithoutExtension(file);
            var reject = entries.TryGetValue("expect-reject", out var r) ? ReadReject(reader, r.Value) : null;
            scenarios.Add(Finish(new Scenario(name, reader.Mark(root), Require(reader, target, root), vars, ReadSteps(reader, steps.Value, target.Timeout, "steps")) { ExpectReject = reject }));
        }
        else
        {
            throw reader.Error(root, "the file has neither scenarios: nor steps:");
        }

        CheckNames(scenarios);
        CheckCalls(reader, flows);
        CheckVariables(reader, vars.Keys.Concat(overrides.Keys));
        if (overrides.Count > 0)
        {
            scenarios = [.. scenarios.Select(sc => sc with { Vars = Merge(sc.Vars, overrides) })];
        }

        return new ScenarioFile(file, scenarios, flows);
    }

    private static Scenario ReadScenario(YamlReader reader, YamlNode node, TargetSpec fileTarget, IReadOnlyDictionary<string, string> fileVars, int index)
    {
        var mapping = reader.Mapping(node, "a scenario");
        string? name = null;
        var target = fileTarget;
        var vars = new Dictionary<string, string>(fileVars, StringComparer.Ordinal);
        YamlNode? stepsNode = null;
        RejectExpectation? reject = null;
        foreach (var (key, _, value) in reader.Entries(mapping, "a scenario", ScenarioKeys))
        {
            switch (key)
            {
                case "name":
                    name = reader.Text(value, "name");
                    break;
                case "target":
                    target = ReadTarget(reader, value, fileTarget);
                    break;
                case "vars":
                    ReadVars(reader, value, vars);
                    break;
                case "steps":
                    stepsNode = value;
                    break;
                case "expect-reject":
                    reject = ReadReject(reader, value);
                    break;
            }
        }

        var steps = stepsNode is null ? [] : ReadSteps(reader, stepsNode, target.Timeout, "steps");
        if (stepsNode is null && reject is null)
        {
            throw reader.Error(mapping, "a scenario needs steps: (or expect-reject: when the open itself is the test)");
        }

        return Finish(new Scenario(name ?? $"scenario {index}", reader.Mark(mapping), Require(reader, target, mapping), vars, steps) { ExpectReject = reject });
    }

    private static Scenario Finish(Scenario scenario)
    {
        if (scenario.ExpectReject is { } reject && scenario.Steps.Count > 0)
        {
            throw new ScenarioFileException(reject.Mark, "a scenario that expects its open to be refused has no connection to run steps on; move the steps to another scenario");
        }

        return scenario;
    }

    private static TargetSpec Require(YamlReader reader, TargetSpec target, YamlNode where) =>
        target.Url is null ? throw reader.Error(where, "no url: give target: { url: wss://... } in the file or in the scenario") : target;

    private static RejectExpectation ReadReject(YamlReader reader, YamlNode node)
    {
        if (reader.IsNull(node))
        {
            return new RejectExpectation(reader.Mark(node), null);
        }

        if (node is YamlScalarNode)
        {
            return new RejectExpectation(reader.Mark(node), reader.Int(node, "expect-reject (an HTTP status)", 100, 599));
        }

        int? status = null;
        foreach (var (_, _, value) in reader.Entries(reader.Mapping(node, "expect-reject"), "expect-reject", ["status"]))
        {
            status = reader.Int(value, "status", 100, 599);
        }

        return new RejectExpectation(reader.Mark(node), status);
    }

    private static Dictionary<string, string> ReadVars(YamlReader reader, YamlNode node, Dictionary<string, string> into)
    {
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, "vars")))
        {
            var name = CheckVariableName(reader, keyNode);
            into[name] = reader.Text(value, $"vars.{name}");
            reader.DefinedVariables.Add(name);
        }

        return into;
    }

    internal static string CheckVariableName(YamlReader reader, YamlNode keyNode)
    {
        var name = reader.Text(keyNode, "a variable name");
        if (!VariableName().IsMatch(name))
        {
            throw reader.Error(keyNode, $"'{name}' is not a variable name (letters, digits, _, - and . ; not starting with a digit)");
        }

        if (Variables.BuiltIns.Contains(name))
        {
            throw reader.Error(keyNode, $"'{name}' is a built-in variable ({string.Join(", ", Variables.BuiltIns)}); choose another name");
        }

        return name;
    }

    private static Dictionary<string, Flow> ReadFlows(YamlReader reader, YamlNode node, TimeSpan timeout)
    {
        var flows = new Dictionary<string, Flow>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, "flows")))
        {
            var name = reader.Text(keyNode, "a flow name");
            if (!VariableName().IsMatch(name))
            {
                throw reader.Error(keyNode, $"'{name}' is not a flow name (letters, digits, _, - and .)");
            }

            flows[name] = new Flow(name, reader.Mark(keyNode), ReadSteps(reader, value, timeout, $"flows.{name}"));
        }

        return flows;
    }

    private static void CheckNames(List<Scenario> scenarios)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            if (!seen.Add(scenario.Name))
            {
                throw new ScenarioFileException(scenario.Mark, $"two scenarios are named '{scenario.Name}'; reports and JUnit need distinct names");
            }
        }
    }

    private static void CheckCalls(YamlReader reader, IReadOnlyDictionary<string, Flow> flows)
    {
        foreach (var (flow, mark) in reader.Calls)
        {
            if (!flows.ContainsKey(flow))
            {
                var known = flows.Count == 0 ? "the file has no flows:" : $"flows: {string.Join(", ", flows.Keys)}";
                throw new ScenarioFileException(mark, $"call: there is no flow '{flow}' ({known})");
            }
        }

        // A flow that calls itself, directly or through others, would never end.
        foreach (var flow in flows.Values)
        {
            var path = new List<string>();
            if (FindCycle(flow.Name, flows, path, new HashSet<string>(StringComparer.Ordinal)))
            {
                throw new ScenarioFileException(flow.Mark, $"the flows call each other in a cycle: {string.Join(" -> ", path)}");
            }
        }
    }

    private static bool FindCycle(string name, IReadOnlyDictionary<string, Flow> flows, List<string> path, HashSet<string> onPath)
    {
        path.Add(name);
        if (!onPath.Add(name))
        {
            return true;
        }

        foreach (var call in Calls(flows[name].Steps))
        {
            if (FindCycle(call, flows, path, onPath))
            {
                return true;
            }
        }

        onPath.Remove(name);
        path.RemoveAt(path.Count - 1);
        return false;
    }

    private static IEnumerable<string> Calls(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case CallStep call:
                    yield return call.Flow;
                    break;
                case RepeatStep repeat:
                    foreach (var inner in Calls(repeat.Steps))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }

    private static void CheckVariables(YamlReader reader, IEnumerable<string> fileVars)
    {
        var defined = new HashSet<string>(reader.DefinedVariables, StringComparer.Ordinal);
        defined.UnionWith(fileVars);
        defined.UnionWith(Variables.BuiltIns);
        foreach (var (name, mark) in reader.TemplateUses)
        {
            if (!defined.Contains(name))
            {
                throw new ScenarioFileException(mark, $"{{{{{name}}}}}: no vars: entry, capture or call with: sets '{name}' (built-ins: {string.Join(", ", Variables.BuiltIns)})");
            }
        }
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> vars, IReadOnlyDictionary<string, string> overrides)
    {
        var merged = new Dictionary<string, string>(vars, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static string StripMark(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the position is ours to print.
        var at = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && at > 0 ? message[(at + 3)..] : message;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();
}
