using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.RepresentationModel;
using Capture = Wsdoctor.Scenarios.Model.Capture;

namespace Wsdoctor.Scenarios.Loading;

public static partial class ScenarioLoader
{
    /// <summary>The action keys: each step has exactly one.</summary>
    private static readonly string[] Actions = ["send", "expect", "capture", "ping", "expect-pong", "expect-ping", "wait", "close", "expect-close", "repeat", "loop", "call"];

    /// <summary>The other keys each action takes beside <c>name</c>.</summary>
    private static readonly Dictionary<string, string[]> Modifiers = new(StringComparer.Ordinal)
    {
        ["send"] = [],
        ["expect"] = ["timeout", "ignore-others", "capture"],
        ["capture"] = [],
        ["ping"] = [],
        ["expect-pong"] = ["timeout"],
        ["expect-ping"] = ["timeout"],
        ["wait"] = [],
        ["close"] = ["timeout"],
        ["expect-close"] = ["timeout"],
        ["repeat"] = ["steps", "every"],
        ["loop"] = ["steps"],
        ["call"] = ["with"],
    };

    private static readonly string[] SendKeys = ["text", "json", "hex", "base64", "file"];
    private static readonly string[] ExpectKeys = ["type", "text", "contains", "regex", "json", "exact", "where", "hex", "base64"];

    /// <summary>A bound on repeat counts and loop iterations: every loop ends.</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>The largest payload a send: file may load.</summary>
    public const long MaxPayloadBytes = 64L * 1024 * 1024;

    private static List<Step> ReadSteps(YamlReader reader, YamlNode node, TimeSpan timeout, string what)
    {
        var steps = new List<Step>();
        foreach (var item in reader.Sequence(node, what).Children)
        {
            steps.Add(ReadStep(reader, item, timeout));
        }

        return steps;
    }

    private static Step ReadStep(YamlReader reader, YamlNode node, TimeSpan defaultTimeout)
    {
        var mapping = reader.Mapping(node, "a step");
        var actions = reader.Pairs(mapping).Where(p => p.Key is YamlScalarNode { Value: { } k } && Actions.Contains(k)).ToList();
        if (actions.Count == 2 && actions.Any(a => ((YamlScalarNode)a.Key).Value == "expect"))
        {
            // capture: beside expect: takes values from the message that expect matched.
            actions.RemoveAll(a => ((YamlScalarNode)a.Key).Value == "capture");
        }

        if (actions.Count == 0)
        {
            // An unknown key is the likely reason (a typo such as sned:); say that, with the suggestion.
            _ = reader.Entries(mapping, "a step", [.. Actions, "name", .. Modifiers.Values.SelectMany(m => m)]).ToList();
            throw reader.Error(mapping, $"a step needs one action: {string.Join(", ", Actions)}");
        }

        if (actions.Count != 1)
        {
            throw reader.Error(mapping, $"a step has one action; this one has {string.Join(" and ", actions.Select(a => ((YamlScalarNode)a.Key).Value))} (make them separate steps)");
        }

        var action = ((YamlScalarNode)actions[0].Key).Value!;
        var value = actions[0].Value;
        var allowed = Modifiers[action].Append("name").Append(action).ToArray();
        var modifiers = reader.Entries(mapping, $"a {action} step", allowed).Where(e => e.Key != action).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var mark = reader.Mark(mapping);
        var name = modifiers.TryGetValue("name", out var n) ? reader.Text(n, "name") : null;
        var timeout = modifiers.TryGetValue("timeout", out var t) ? reader.Duration(t, "timeout", 24 * 3600) : defaultTimeout;

        switch (action)
        {
            case "send":
                var payload = ReadPayload(reader, value);
                return new SendStep(mark, name ?? $"send {DescribePayload(payload)}", payload);
            case "expect":
                var match = ReadMatch(reader, value);
                var ignore = modifiers.TryGetValue("ignore-others", out var io) && reader.Bool(io, "ignore-others");
                var captures = modifiers.TryGetValue("capture", out var c) ? ReadCaptures(reader, c) : [];
                return new ExpectStep(mark, name ?? Cut($"expect {match.Describe()}", 80), match, timeout, ignore, captures);
            case "capture":
                var taken = ReadCaptures(reader, value);
                return new CaptureStep(mark, name ?? $"capture {string.Join(", ", taken.Select(x => x.Variable))}", taken);
            case "ping":
                var ping = reader.IsNull(value) ? [] : Encoding.UTF8.GetBytes(reader.Text(value, "ping"));
                if (ping.Length > 125)
                {
                    throw reader.Error(value, $"a ping payload is at most 125 bytes (RFC 6455 5.5); this one is {ping.Length}");
                }

                return new PingStep(mark, name ?? "ping", ping);
            case "expect-pong":
                return new ExpectPongStep(mark, name ?? "expect pong", ShortTimeout(reader, value, timeout, "expect-pong"));
            case "expect-ping":
                return new ExpectPingStep(mark, name ?? "expect ping", ShortTimeout(reader, value, timeout, "expect-ping"));
            case "wait":
                var wait = reader.Duration(value, "wait", 24 * 3600);
                return new WaitStep(mark, name ?? $"wait {Durations.Format(wait)}", wait);
            case "close":
                var (code, reason) = ReadClose(reader, value);
                return new CloseStep(mark, name ?? $"close {code.ToString(CultureInfo.InvariantCulture)}", code, reason, timeout);
            case "expect-close":
                return ReadExpectClose(reader, value, mark, name, timeout);
            case "repeat":
            case "loop":
                return ReadRepeat(reader, action, value, modifiers, mapping, mark, name, defaultTimeout);
            default:
                var flow = reader.Text(value, "call");
                reader.Calls.Add((flow, reader.Mark(value)));
                var with = new Dictionary<string, Template>(StringComparer.Ordinal);
                if (modifiers.TryGetValue("with", out var w))
                {
                    foreach (var (keyNode, v) in reader.Pairs(reader.Mapping(w, "with")))
                    {
                        var variable = CheckVariableName(reader, keyNode);
                        with[variable] = reader.Template(v, $"with.{variable}");
                        reader.DefinedVariables.Add(variable);
                    }
                }

                return new CallStep(mark, name ?? $"call {flow}", flow, with);
        }
    }

    private static Payload ReadPayload(YamlReader reader, YamlNode value)
    {
        if (value is YamlScalarNode)
        {
            return new TextPayload(reader.Template(value, "send"));
        }

        var entries = reader.Entries(reader.Mapping(value, "send"), "send", SendKeys).ToList();
        if (entries.Count != 1)
        {
            throw reader.Error(value, "send takes one of text:, json:, hex:, base64: or file:");
        }

        var (key, _, content) = entries[0];
        switch (key)
        {
            case "text":
                return new TextPayload(reader.Template(content, "send.text"));
            case "json":
                return new JsonPayload(reader.Json(content, "send.json", templates: true));
            case "hex":
                return new BinaryPayload(Hex(reader, content, "send.hex"));
            case "base64":
                return new BinaryPayload(Base64(reader, content, "send.base64"));
            default:
                var path = reader.FilePath(content, "send.file");
                try
                {
                    var info = new FileInfo(path);
                    if (!info.Exists)
                    {
                        throw reader.Error(content, $"send.file: {path} does not exist");
                    }

                    if (info.Length > MaxPayloadBytes)
                    {
                        throw reader.Error(content, $"send.file: {path} is {info.Length} bytes; the limit is {MaxPayloadBytes / 1024 / 1024} MiB");
                    }

                    return new BinaryPayload(File.ReadAllBytes(path));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw reader.Error(content, $"send.file: cannot read {path}: {ex.Message}");
                }
        }
    }

    private static MessageMatch ReadMatch(YamlReader reader, YamlNode value)
    {
        if (value is YamlScalarNode)
        {
            return new MessageMatch { Text = reader.Template(value, "expect") };
        }

        var match = new MessageMatch();
        var mapping = reader.Mapping(value, "expect");
        YamlNode? exactNode = null;
        foreach (var (key, keyNode, content) in reader.Entries(mapping, "expect", ExpectKeys))
        {
            match = key switch
            {
                "type" => match with
                {
                    Kind = reader.Text(content, "type") switch
                    {
                        "text" => MessageKind.Text,
                        "binary" => MessageKind.Binary,
                        var other => throw reader.Error(content, $"type must be text or binary (got '{other}')"),
                    },
                },
                "text" => match with { Text = reader.Template(content, "expect.text") },
                "contains" => match with { Contains = reader.Template(content, "expect.contains") },
                "regex" => match with { Regex = ReadRegexTemplate(reader, content, "expect.regex") },
                "json" => match with { Json = reader.Json(content, "expect.json", templates: true), HasJson = true },
                "exact" => match with { JsonExact = reader.Bool(content, "exact") },
                "where" => match with { Where = ReadWhere(reader, content) },
                "hex" => match with { Binary = Hex(reader, content, "expect.hex") },
                "base64" => match with { Binary = Base64(reader, content, "expect.base64") },
                _ => throw reader.Error(keyNode, $"unknown key '{key}'"),
            };
            if (key == "exact")
            {
                exactNode = keyNode;
            }
        }

        if (exactNode is not null && !match.HasJson)
        {
            throw reader.Error(exactNode, "exact: applies to json:, which this expect does not have");
        }

        if (match.Binary is not null && (match.Text ?? match.Contains ?? match.Regex) is not null)
        {
            throw reader.Error(mapping, "an expect compares either bytes (hex:/base64:) or text, not both");
        }

        return match;
    }

    private static List<JsonCondition> ReadWhere(YamlReader reader, YamlNode node)
    {
        var conditions = new List<JsonCondition>();
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, "where")))
        {
            var path = ReadPath(reader, keyNode, "where");
            if (value is not YamlMappingNode tests)
            {
                conditions.Add(new JsonCondition(path, JsonTest.Equals, reader.Json(value, $"where.{path}", templates: true), null));
                continue;
            }

            if (tests.Children.Count == 0)
            {
                throw reader.Error(tests, $"where.{path}: an empty mapping tests nothing (write {{}} as a value with equals: {{}})");
            }

            foreach (var (testNode, expected) in reader.Pairs(tests))
            {
                var word = reader.Text(testNode, "a test");
                if (!JsonCondition.Keywords.TryGetValue(word, out var test))
                {
                    throw reader.Error(testNode, $"'{word}' is not a test; use one of {string.Join(", ", JsonCondition.Keywords.Keys)}");
                }

                conditions.Add(ReadCondition(reader, path, test, expected));
            }
        }

        return conditions;
    }

    private static JsonCondition ReadCondition(YamlReader reader, JsonPath path, JsonTest test, YamlNode expected)
    {
        switch (test)
        {
            case JsonTest.Exists:
                return new JsonCondition(path, test, JsonValue.Create(reader.Bool(expected, "exists")), null);
            case JsonTest.Regex:
                return new JsonCondition(path, test, null, ReadRegex(reader, expected, $"where.{path}.regex"));
            case JsonTest.Type:
                var type = reader.Text(expected, "type");
                return JsonCondition.TypeNames.Contains(type)
                    ? new JsonCondition(path, test, JsonValue.Create(type), null)
                    : throw reader.Error(expected, $"type must be one of {string.Join(", ", JsonCondition.TypeNames)} (got '{type}')");
            case JsonTest.Greater or JsonTest.GreaterOrEqual or JsonTest.Less or JsonTest.LessOrEqual or JsonTest.Length:
                var number = reader.Json(expected, $"where.{path}", templates: false);
                return JsonValues.TryNumber(number, out _)
                    ? new JsonCondition(path, test, number, null)
                    : throw reader.Error(expected, $"where.{path}: this test compares with a number (got {JsonValues.Show(number)})");
            default:
                return new JsonCondition(path, test, reader.Json(expected, $"where.{path}", templates: true), null);
        }
    }

    private static JsonPath ReadPath(YamlReader reader, YamlNode node, string what)
    {
        var text = reader.Text(node, what);
        try
        {
            return JsonPath.Parse(text);
        }
        catch (FormatException ex)
        {
            throw reader.Error(node, $"{what}: {ex.Message}");
        }
    }

    private static List<Capture> ReadCaptures(YamlReader reader, YamlNode node)
    {
        var captures = new List<Capture>();
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, "capture")))
        {
            var variable = CheckVariableName(reader, keyNode);
            reader.DefinedVariables.Add(variable);
            if (value is YamlMappingNode mapping)
            {
                var entries = reader.Entries(mapping, $"capture.{variable}", ["regex", "json"]).ToList();
                if (entries.Count != 1)
                {
                    throw reader.Error(mapping, $"capture.{variable} takes a JSON path, or one of json: PATH or regex: PATTERN");
                }

                var (key, _, content) = entries[0];
                captures.Add(key == "regex"
                    ? new Capture(variable, reader.Mark(content), null, ReadRegex(reader, content, $"capture.{variable}.regex"))
                    : new Capture(variable, reader.Mark(content), ReadPath(reader, content, $"capture.{variable}"), null));
            }
            else
            {
                captures.Add(new Capture(variable, reader.Mark(value), ReadPath(reader, value, $"capture.{variable}"), null));
            }
        }

        if (captures.Count == 0)
        {
            throw reader.Error(node, "capture names no variable");
        }

        return captures;
    }

    private static Regex ReadRegex(YamlReader reader, YamlNode node, string what)
    {
        var text = reader.Text(node, what);
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw reader.Error(node, $"{what}: not a valid regular expression: {ex.Message}");
        }
    }

    /// <summary>A pattern that may hold <c>{{var}}</c> (filled in, regex-escaped, when the step runs); checked now
    /// with each placeholder standing for a plain word.</summary>
    private static Template ReadRegexTemplate(YamlReader reader, YamlNode node, string what)
    {
        var template = reader.Template(node, what);
        try
        {
            _ = new Regex(template.Render(_ => "x"), RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error(node, $"{what}: not a valid regular expression: {ex.Message}");
        }

        return template;
    }

    private static TimeSpan ShortTimeout(YamlReader reader, YamlNode value, TimeSpan timeout, string what) =>
        reader.IsNull(value) ? timeout : reader.Duration(value, what, 24 * 3600);

    private static (int Code, string Reason) ReadClose(YamlReader reader, YamlNode value)
    {
        if (reader.IsNull(value))
        {
            return (1000, "");
        }

        if (value is YamlScalarNode)
        {
            return (CloseCode(reader, value), "");
        }

        var (code, reason) = (1000, "");
        foreach (var (key, _, content) in reader.Entries(reader.Mapping(value, "close"), "close", ["code", "reason"]))
        {
            if (key == "code")
            {
                code = CloseCode(reader, content);
            }
            else
            {
                reason = reader.Text(content, "reason");
                if (Encoding.UTF8.GetByteCount(reason) > 123)
                {
                    throw reader.Error(content, "a close reason is at most 123 bytes of UTF-8 (RFC 6455 5.5)");
                }
            }
        }

        return (code, reason);
    }

    /// <summary>Codes an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1014 and 3000-4999; 1005, 1006 and 1015
    /// are never sent.</summary>
    private static int CloseCode(YamlReader reader, YamlNode node)
    {
        var code = reader.Int(node, "code", 1000, 4999);
        if (code is 1004 or 1005 or 1006 or 1015 || code is > 1014 and < 3000)
        {
            throw reader.Error(node, $"{code} cannot be sent in a Close frame (RFC 6455 7.4: use 1000-1003, 1007-1014 or 3000-4999)");
        }

        return code;
    }

    private static ExpectCloseStep ReadExpectClose(YamlReader reader, YamlNode value, SourceMark mark, string? name, TimeSpan timeout)
    {
        int? code = null;
        string? reason = null;
        Regex? pattern = null;
        if (value is YamlScalarNode && !reader.IsNull(value))
        {
            code = reader.Int(value, "expect-close (a close code)", 1000, 4999);
        }
        else if (!reader.IsNull(value))
        {
            foreach (var (key, _, content) in reader.Entries(reader.Mapping(value, "expect-close"), "expect-close", ["code", "reason", "reason-regex"]))
            {
                switch (key)
                {
                    case "code":
                        code = reader.Int(content, "code", 1000, 4999);
                        break;
                    case "reason":
                        reason = reader.Text(content, "reason");
                        break;
                    default:
                        pattern = ReadRegex(reader, content, "reason-regex");
                        break;
                }
            }
        }

        var label = code is { } c ? $"expect close {c.ToString(CultureInfo.InvariantCulture)}" : "expect close";
        return new ExpectCloseStep(mark, name ?? label, code, reason, pattern, timeout);
    }

    private static RepeatStep ReadRepeat(YamlReader reader, string action, YamlNode value, Dictionary<string, YamlNode> modifiers, YamlMappingNode step, SourceMark mark, string? name, TimeSpan timeout)
    {
        if (!modifiers.TryGetValue("steps", out var stepsNode))
        {
            throw reader.Error(step, $"{action} needs steps: beside it");
        }

        var steps = ReadSteps(reader, stepsNode, timeout, $"{action}.steps");
        if (steps.Count == 0)
        {
            throw reader.Error(stepsNode, $"{action}.steps is empty");
        }

        if (action == "repeat")
        {
            var times = reader.Int(value, "repeat (a count)", 1, MaxIterations);
            TimeSpan? every = modifiers.TryGetValue("every", out var e) ? reader.Duration(e, "every", 24 * 3600) : null;
            return new RepeatStep(mark, name ?? $"repeat {times.ToString(CultureInfo.InvariantCulture)}x", times, null, every, times, steps);
        }

        TimeSpan? duration = null, pace = null;
        var max = MaxIterations;
        foreach (var (key, _, content) in reader.Entries(reader.Mapping(value, "loop"), "loop", ["for", "every", "max-iterations"]))
        {
            switch (key)
            {
                case "for":
                    duration = reader.Duration(content, "for", 7 * 24 * 3600);
                    break;
                case "every":
                    pace = reader.Duration(content, "every", 24 * 3600);
                    break;
                default:
                    max = reader.Int(content, "max-iterations", 1, MaxIterations);
                    break;
            }
        }

        if (duration is null)
        {
            throw reader.Error(value, "loop needs for: DURATION (use repeat: N for a count)");
        }

        return new RepeatStep(mark, name ?? $"loop {Durations.Format(duration.Value)}", null, duration, pace, max, steps);
    }

    private static byte[] Hex(YamlReader reader, YamlNode node, string what)
    {
        var text = new string(reader.Text(node, what).Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw reader.Error(node, $"{what}: not hexadecimal bytes (pairs of 0-9a-f; spaces and colons are ignored)");
        }
    }

    private static byte[] Base64(YamlReader reader, YamlNode node, string what)
    {
        try
        {
            return Convert.FromBase64String(reader.Text(node, what).Trim());
        }
        catch (FormatException)
        {
            throw reader.Error(node, $"{what}: not valid base64");
        }
    }

    private static string DescribePayload(Payload payload) => payload switch
    {
        TextPayload text => Cut($"\"{text.Text}\"", 60),
        JsonPayload json => Cut(JsonValues.Show(json.Document, 60), 60),
        BinaryPayload binary => $"{binary.Data.Length.ToString(CultureInfo.InvariantCulture)} bytes",
        _ => "",
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : $"{text[..(max - 1)]}…";
}
