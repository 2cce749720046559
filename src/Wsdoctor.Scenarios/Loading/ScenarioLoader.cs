using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Loading;

/// <summary>Reads a scenario file (docs/scenarios.md is its reference, docs/scenario.schema.json its schema) into
/// <see cref="ScenarioFile"/>. Everything that can be checked before connecting is checked here, each error with
/// its line and column: unknown keys (with a suggestion), wrong types, bad durations, regular expressions, JSON
/// paths, unset environment variables, variables nothing sets, calls to missing flows and call cycles.</summary>
public static partial class ScenarioLoader
{
    private static readonly string[] TopKeys = ["$schema", "name", "target", "vars", "flows", "scenarios", "steps", "expect-reject"];
    private static readonly string[] ScenarioKeys = ["name", "target", "vars", "steps", "expect-reject"];

    private static readonly Text TheFile = T("the file", "文件顶层");
    private static readonly Text AScenario = T("a scenario", "场景");

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
                throw new ScenarioFileException(new SourceMark(path, 0, 0), T($"the file is {info.Length} bytes; a scenario file is at most {MaxFileBytes / 1024 / 1024} MiB", $"文件有 {info.Length} 字节；场景文件最大为 {MaxFileBytes / 1024 / 1024} MiB"));
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFileException(new SourceMark(path, 0, 0), T($"cannot read the file: {ex.Message}", $"无法读取文件：“{ex.Message}”"));
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
        // The shape pass reads the events first; a syntax error found by either parser is reported at its place.
        var parser = new Parser(new StringReader(text));
        YamlShapeProblem? shape;
        try
        {
            shape = YamlShape.Check(parser);
            if (shape is null)
            {
                parser = new Parser(new StringReader(text));
                stream.Load(parser);
            }
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException is { } inner && ex.Message.Contains("See inner", StringComparison.Ordinal) ? inner.Message : ex.Message;
            throw new ScenarioFileException(new SourceMark(file, (int)ex.Start.Line, (int)ex.Start.Column), T($"not valid YAML: {StripMark(reason)}", $"不是有效的 YAML：“{StripMark(reason)}”"));
        }
        catch (ArgumentException ex) when (ex.Message.Contains("same key", StringComparison.Ordinal))
        {
            // YamlDotNet reports a duplicate key as the dictionary's ArgumentException, without a position.
            throw new ScenarioFileException(new SourceMark(file, 0, 0), T($"not valid YAML: {ex.Message}", $"不是有效的 YAML：“{ex.Message}”"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner and its representation model throw these for some malformed input (a stray
            // control character in a flow mapping, a node where no node can start): a bad file, not our bug.
            var mark = parser.Current?.Start;
            throw new ScenarioFileException(new SourceMark(file, (int)(mark?.Line ?? 0), (int)(mark?.Column ?? 0)), T("not valid YAML here", "此处不是有效的 YAML"));
        }

        if (shape is not null)
        {
            throw new ScenarioFileException(new SourceMark(file, (int)shape.At.Line, (int)shape.At.Column), shape.Reason);
        }

        if (stream.Documents.Count != 1)
        {
            throw new ScenarioFileException(new SourceMark(file, 1, 1), stream.Documents.Count == 0
                ? T("the file is empty", "文件是空的")
                : T("the file holds several YAML documents (---); put the scenarios in one list under scenarios:", "文件中有多个 YAML 文档（---）；请把所有场景放进 scenarios: 下的同一个列表"));
        }

        var root = reader.Mapping(stream.Documents[0].RootNode, TheFile);
        var entries = reader.Entries(root, TheFile, TopKeys).ToDictionary(e => e.Key, e => (e.KeyNode, e.Value), StringComparer.Ordinal);

        var target = entries.TryGetValue("target", out var t) ? ReadTarget(reader, t.Value, new TargetSpec()) : new TargetSpec();
        var vars = entries.TryGetValue("vars", out var v) ? ReadVars(reader, v.Value, new Dictionary<string, string>(StringComparer.Ordinal)) : new Dictionary<string, string>(StringComparer.Ordinal);
        var flows = entries.TryGetValue("flows", out var f) ? ReadFlows(reader, f.Value, target.Timeout) : new Dictionary<string, Flow>(StringComparer.Ordinal);

        var scenarios = new List<Scenario>();
        if (entries.TryGetValue("scenarios", out var s))
        {
            if (entries.TryGetValue("steps", out var stray))
            {
                throw reader.Error(stray.KeyNode, T("steps: at the top is the one-scenario form; with scenarios: put the steps in each scenario", "顶层的 steps: 是单场景的写法；用了 scenarios: 时，请把 steps 写进各个场景"));
            }

            if (entries.TryGetValue("expect-reject", out var strayReject))
            {
                throw reader.Error(strayReject.KeyNode, T("expect-reject: at the top is for the one-scenario form; put it in the scenario it belongs to", "顶层的 expect-reject: 只用于单场景的写法；请把它写进它所属的场景"));
            }

            var list = reader.Sequence(s.Value, Verbatim("scenarios"));
            if (list.Children.Count == 0)
            {
                throw reader.Error(list, T("scenarios is empty", "scenarios 为空"));
            }

            foreach (var item in list.Children)
            {
                scenarios.Add(ReadScenario(reader, item, target, vars, scenarios.Count + 1));
            }
        }
        else if (entries.TryGetValue("steps", out var steps))
        {
            var name = entries.TryGetValue("name", out var n) ? reader.Text(n.Value, Verbatim("name")) : Path.GetFileNameWithoutExtension(file);
            var reject = entries.TryGetValue("expect-reject", out var r) ? ReadReject(reader, r.Value) : null;
            scenarios.Add(Finish(new Scenario(name, reader.Mark(root), Require(reader, target, root), vars, ReadSteps(reader, steps.Value, target.Timeout, Verbatim("steps"))) { ExpectReject = reject }));
        }
        else
        {
            throw reader.Error(root, T("the file has neither scenarios: nor steps:", "文件中既没有 scenarios: 也没有 steps:"));
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
        var mapping = reader.Mapping(node, AScenario);
        string? name = null;
        var target = fileTarget;
        var vars = new Dictionary<string, string>(fileVars, StringComparer.Ordinal);
        YamlNode? stepsNode = null;
        RejectExpectation? reject = null;
        foreach (var (key, _, value) in reader.Entries(mapping, AScenario, ScenarioKeys))
        {
            switch (key)
            {
                case "name":
                    name = reader.Text(value, Verbatim("name"));
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

        var steps = stepsNode is null ? [] : ReadSteps(reader, stepsNode, target.Timeout, Verbatim("steps"));
        if (stepsNode is null && reject is null)
        {
            throw reader.Error(mapping, T("a scenario needs steps: (or expect-reject: when the open itself is the test)", "场景需要 steps:（要测试的若是连接能否建立本身，则写 expect-reject:）"));
        }

        return Finish(new Scenario(name ?? $"scenario {index}", reader.Mark(mapping), Require(reader, target, mapping), vars, steps) { ExpectReject = reject });
    }

    private static Scenario Finish(Scenario scenario)
    {
        if (scenario.ExpectReject is { } reject && scenario.Steps.Count > 0)
        {
            throw new ScenarioFileException(reject.Mark, T("a scenario that expects its open to be refused has no connection to run steps on; move the steps to another scenario", "预期连接被拒绝的场景没有可用来执行步骤的连接；请把这些步骤移到另一个场景"));
        }

        return scenario;
    }

    private static TargetSpec Require(YamlReader reader, TargetSpec target, YamlNode where) =>
        target.Url is null ? throw reader.Error(where, T("no url: give target: { url: wss://... } in the file or in the scenario", "缺少 url：请在文件或场景中写上 target: { url: wss://... }")) : target;

    private static RejectExpectation ReadReject(YamlReader reader, YamlNode node)
    {
        if (reader.IsNull(node))
        {
            return new RejectExpectation(reader.Mark(node), null);
        }

        if (node is YamlScalarNode)
        {
            return new RejectExpectation(reader.Mark(node), reader.Int(node, T("expect-reject (an HTTP status)", "expect-reject（HTTP 状态码）"), 100, 599));
        }

        int? status = null;
        foreach (var (_, _, value) in reader.Entries(reader.Mapping(node, Verbatim("expect-reject")), Verbatim("expect-reject"), ["status"]))
        {
            status = reader.Int(value, Verbatim("status"), 100, 599);
        }

        return new RejectExpectation(reader.Mark(node), status);
    }

    private static Dictionary<string, string> ReadVars(YamlReader reader, YamlNode node, Dictionary<string, string> into)
    {
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, Verbatim("vars"))))
        {
            var name = CheckVariableName(reader, keyNode);
            into[name] = reader.Text(value, Verbatim($"vars.{name}"));
            reader.DefinedVariables.Add(name);
        }

        return into;
    }

    internal static string CheckVariableName(YamlReader reader, YamlNode keyNode)
    {
        var name = reader.Text(keyNode, T("a variable name", "变量名"));
        if (!VariableName().IsMatch(name))
        {
            throw reader.Error(keyNode, T($"'{name}' is not a variable name (letters, digits, _, - and . ; not starting with a digit)", $"“{name}”不是合法的变量名（只能由字母、数字、_、- 和 . 组成，且不能以数字开头）"));
        }

        if (Variables.BuiltIns.Contains(name))
        {
            throw reader.Error(keyNode, T($"'{name}' is a built-in variable ({string.Join(", ", Variables.BuiltIns)}); choose another name", $"“{name}”是内置变量（{string.Join(", ", Variables.BuiltIns)}）；请换个名字"));
        }

        return name;
    }

    private static Dictionary<string, Flow> ReadFlows(YamlReader reader, YamlNode node, TimeSpan timeout)
    {
        var flows = new Dictionary<string, Flow>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, Verbatim("flows"))))
        {
            var name = reader.Text(keyNode, T("a flow name", "流程名"));
            if (!VariableName().IsMatch(name))
            {
                throw reader.Error(keyNode, T($"'{name}' is not a flow name (letters, digits, _, - and .)", $"“{name}”不是合法的流程名（只能由字母、数字、_、- 和 . 组成）"));
            }

            flows[name] = new Flow(name, reader.Mark(keyNode), ReadSteps(reader, value, timeout, Verbatim($"flows.{name}")));
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
                throw new ScenarioFileException(scenario.Mark, T($"two scenarios are named '{scenario.Name}'; reports and JUnit need distinct names", $"有两个场景都叫“{scenario.Name}”；报告和 JUnit 要求场景名各不相同"));
            }
        }
    }

    private static void CheckCalls(YamlReader reader, IReadOnlyDictionary<string, Flow> flows)
    {
        foreach (var (flow, mark) in reader.Calls)
        {
            if (!flows.ContainsKey(flow))
            {
                var known = flows.Count == 0
                    ? T("the file has no flows:", "文件中没有 flows:")
                    : T($"flows: {string.Join(", ", flows.Keys)}", $"已有的 flows: {string.Join(", ", flows.Keys)}");
                throw new ScenarioFileException(mark, T($"call: there is no flow '{flow}' ({known})", $"call：没有名为“{flow}”的流程（{known}）"));
            }
        }

        // A flow that calls itself, directly or through others, would never end.
        foreach (var flow in flows.Values)
        {
            var path = new List<string>();
            if (FindCycle(flow.Name, flows, path, new HashSet<string>(StringComparer.Ordinal)))
            {
                throw new ScenarioFileException(flow.Mark, T($"the flows call each other in a cycle: {string.Join(" -> ", path)}", $"流程之间循环调用：{string.Join(" -> ", path)}"));
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
                throw new ScenarioFileException(mark, T(
                    $"{{{{{name}}}}}: no vars: entry, capture or call with: sets '{name}' (built-ins: {string.Join(", ", Variables.BuiltIns)})",
                    $"{{{{{name}}}}}：没有任何 vars: 条目、capture 或 call 的 with: 设置了“{name}”（内置变量：{string.Join(", ", Variables.BuiltIns)}）"));
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
