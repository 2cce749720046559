using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Json;
using Wsdoctor.Scenarios.Matching;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.RepresentationModel;
using static Wsdoctor.Findings.Text;
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

    private static readonly Text AStep = T("a step", "步骤");

    /// <summary>A bound on repeat counts and loop iterations: every loop ends.</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>The largest payload a send: file may load.</summary>
    public const long MaxPayloadBytes = 64L * 1024 * 1024;

    private static List<Step> ReadSteps(YamlReader reader, YamlNode node, TimeSpan timeout, Text what)
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
        var mapping = reader.Mapping(node, AStep);
        var actions = reader.Pairs(mapping).Where(p => p.Key is YamlScalarNode { Value: { } k } && Actions.Contains(k)).ToList();
        if (actions.Count == 2 && actions.Any(a => ((YamlScalarNode)a.Key).Value == "expect"))
        {
            // capture: beside expect: takes values from the message that expect matched.
            actions.RemoveAll(a => ((YamlScalarNode)a.Key).Value == "capture");
        }

        if (actions.Count == 0)
        {
            // An unknown key is the likely reason (a typo such as sned:); say that, with the suggestion.
            _ = reader.Entries(mapping, AStep, [.. Actions, "name", .. Modifiers.Values.SelectMany(m => m)]).ToList();
            throw reader.Error(mapping, T($"a step needs one action: {string.Join(", ", Actions)}", $"步骤需要一个动作：{string.Join(", ", Actions)}"));
        }

        if (actions.Count != 1)
        {
            var names = actions.Select(a => ((YamlScalarNode)a.Key).Value).ToList();
            throw reader.Error(mapping, T(
                $"a step has one action; this one has {string.Join(" and ", names)} (make them separate steps)",
                $"一个步骤只能有一个动作，这一步却有 {string.Join(" 和 ", names)}（请拆成几个步骤）"));
        }

        var action = ((YamlScalarNode)actions[0].Key).Value!;
        var value = actions[0].Value;
        var allowed = Modifiers[action].Append("name").Append(action).ToArray();
        var modifiers = reader.Entries(mapping, T($"a {action} step", $"{action} 步骤"), allowed).Where(e => e.Key != action).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var mark = reader.Mark(mapping);
        var name = modifiers.TryGetValue("name", out var n) ? reader.Text(n, Verbatim("name")) : null;
        var timeout = modifiers.TryGetValue("timeout", out var t) ? reader.Duration(t, Verbatim("timeout"), 24 * 3600) : defaultTimeout;

        switch (action)
        {
            case "send":
                var payload = ReadPayload(reader, value);
                return new SendStep(mark, name ?? $"send {DescribePayload(payload)}", payload);
            case "expect":
                var match = ReadMatch(reader, value);
                var ignore = modifiers.TryGetValue("ignore-others", out var io) && reader.Bool(io, Verbatim("ignore-others"));
                var captures = modifiers.TryGetValue("capture", out var c) ? ReadCaptures(reader, c) : [];
                return new ExpectStep(mark, name ?? Cut($"expect {match.Describe()}", 80), match, timeout, ignore, captures);
            case "capture":
                var taken = ReadCaptures(reader, value);
                return new CaptureStep(mark, name ?? $"capture {string.Join(", ", taken.Select(x => x.Variable))}", taken);
            case "ping":
                var ping = reader.IsNull(value) ? [] : Encoding.UTF8.GetBytes(reader.Text(value, Verbatim("ping")));
                if (ping.Length > 125)
                {
                    throw reader.Error(value, T($"a ping payload is at most 125 bytes (RFC 6455 5.5); this one is {ping.Length}", $"ping 的负载最多 125 字节（RFC 6455 5.5），这个有 {ping.Length} 字节"));
                }

                return new PingStep(mark, name ?? "ping", ping);
            case "expect-pong":
                return new ExpectPongStep(mark, name ?? "expect pong", ShortTimeout(reader, value, timeout, Verbatim("expect-pong")));
            case "expect-ping":
                return new ExpectPingStep(mark, name ?? "expect ping", ShortTimeout(reader, value, timeout, Verbatim("expect-ping")));
            case "wait":
                var wait = reader.Duration(value, Verbatim("wait"), 24 * 3600);
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
                var flow = reader.Text(value, Verbatim("call"));
                reader.Calls.Add((flow, reader.Mark(value)));
                var with = new Dictionary<string, Template>(StringComparer.Ordinal);
                if (modifiers.TryGetValue("with", out var w))
                {
                    foreach (var (keyNode, v) in reader.Pairs(reader.Mapping(w, Verbatim("with"))))
                    {
                        var variable = CheckVariableName(reader, keyNode);
                        with[variable] = reader.Template(v, Verbatim($"with.{variable}"));
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
            return new TextPayload(reader.Template(value, Verbatim("send")));
        }

        var entries = reader.Entries(reader.Mapping(value, Verbatim("send")), Verbatim("send"), SendKeys).ToList();
        if (entries.Count != 1)
        {
            throw reader.Error(value, T("send takes one of text:, json:, hex:, base64: or file:", "send 只能写 text:、json:、hex:、base64: 或 file: 中的一个"));
        }

        var (key, _, content) = entries[0];
        switch (key)
        {
            case "text":
                return new TextPayload(reader.Template(content, Verbatim("send.text")));
            case "json":
                return new JsonPayload(reader.Json(content, Verbatim("send.json"), templates: true));
            case "hex":
                return new BinaryPayload(Hex(reader, content, Verbatim("send.hex")));
            case "base64":
                return new BinaryPayload(Base64(reader, content, Verbatim("send.base64")));
            default:
                var path = reader.FilePath(content, Verbatim("send.file"));
                try
                {
                    var info = new FileInfo(path);
                    if (!info.Exists)
                    {
                        throw reader.Error(content, T($"send.file: {path} does not exist", $"send.file：{path} 不存在"));
                    }

                    if (info.Length > MaxPayloadBytes)
                    {
                        throw reader.Error(content, T($"send.file: {path} is {info.Length} bytes; the limit is {MaxPayloadBytes / 1024 / 1024} MiB", $"send.file：{path} 有 {info.Length} 字节，上限为 {MaxPayloadBytes / 1024 / 1024} MiB"));
                    }

                    return new BinaryPayload(File.ReadAllBytes(path));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw reader.Error(content, T($"send.file: cannot read {path}: {ex.Message}", $"send.file：无法读取 {path}：“{ex.Message}”"));
                }
        }
    }

    private static MessageMatch ReadMatch(YamlReader reader, YamlNode value)
    {
        if (value is YamlScalarNode)
        {
            return new MessageMatch { Text = reader.Template(value, Verbatim("expect")) };
        }

        var match = new MessageMatch();
        var mapping = reader.Mapping(value, Verbatim("expect"));
        YamlNode? exactNode = null;
        foreach (var (key, keyNode, content) in reader.Entries(mapping, Verbatim("expect"), ExpectKeys))
        {
            match = key switch
            {
                "type" => match with
                {
                    Kind = reader.Text(content, Verbatim("type")) switch
                    {
                        "text" => MessageKind.Text,
                        "binary" => MessageKind.Binary,
                        var other => throw reader.Error(content, T($"type must be text or binary (got '{other}')", $"type 必须是 text 或 binary（收到的是“{other}”）")),
                    },
                },
                "text" => match with { Text = reader.Template(content, Verbatim("expect.text")) },
                "contains" => match with { Contains = reader.Template(content, Verbatim("expect.contains")) },
                "regex" => match with { Regex = ReadRegexTemplate(reader, content, Verbatim("expect.regex")) },
                "json" => match with { Json = reader.Json(content, Verbatim("expect.json"), templates: true), HasJson = true },
                "exact" => match with { JsonExact = reader.Bool(content, Verbatim("exact")) },
                "where" => match with { Where = ReadWhere(reader, content) },
                "hex" => match with { Binary = Hex(reader, content, Verbatim("expect.hex")) },
                "base64" => match with { Binary = Base64(reader, content, Verbatim("expect.base64")) },
                _ => throw reader.Error(keyNode, T($"unknown key '{key}'", $"未知的键“{key}”")),
            };
            if (key == "exact")
            {
                exactNode = keyNode;
            }
        }

        if (exactNode is not null && !match.HasJson)
        {
            throw reader.Error(exactNode, T("exact: applies to json:, which this expect does not have", "exact: 只对 json: 起作用，而这个 expect 没有 json:"));
        }

        if (match.Binary is not null && (match.Text ?? match.Contains ?? match.Regex) is not null)
        {
            throw reader.Error(mapping, T("an expect compares either bytes (hex:/base64:) or text, not both", "一个 expect 要么比较字节（hex:/base64:），要么比较文本，不能两者兼有"));
        }

        return match;
    }

    private static List<JsonCondition> ReadWhere(YamlReader reader, YamlNode node)
    {
        var conditions = new List<JsonCondition>();
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, Verbatim("where"))))
        {
            var path = ReadPath(reader, keyNode, Verbatim("where"));
            if (value is not YamlMappingNode tests)
            {
                conditions.Add(new JsonCondition(path, JsonTest.Equals, reader.Json(value, Verbatim($"where.{path}"), templates: true), null));
                continue;
            }

            if (tests.Children.Count == 0)
            {
                throw reader.Error(tests, T($"where.{path}: an empty mapping tests nothing (write {{}} as a value with equals: {{}})", $"where.{path}：空映射什么也不检查（要和值 {{}} 比较，请写 equals: {{}}）"));
            }

            foreach (var (testNode, expected) in reader.Pairs(tests))
            {
                var word = reader.Text(testNode, T("a test", "检查条件"));
                if (!JsonCondition.Keywords.TryGetValue(word, out var test))
                {
                    throw reader.Error(testNode, T($"'{word}' is not a test; use one of {string.Join(", ", JsonCondition.Keywords.Keys)}", $"“{word}”不是检查条件；请使用 {string.Join(", ", JsonCondition.Keywords.Keys)} 之一"));
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
                return new JsonCondition(path, test, JsonValue.Create(reader.Bool(expected, Verbatim("exists"))), null);
            case JsonTest.Regex:
                return new JsonCondition(path, test, null, ReadRegex(reader, expected, Verbatim($"where.{path}.regex")));
            case JsonTest.Type:
                var type = reader.Text(expected, Verbatim("type"));
                return JsonCondition.TypeNames.Contains(type)
                    ? new JsonCondition(path, test, JsonValue.Create(type), null)
                    : throw reader.Error(expected, T($"type must be one of {string.Join(", ", JsonCondition.TypeNames)} (got '{type}')", $"type 必须是 {string.Join(", ", JsonCondition.TypeNames)} 之一（收到的是“{type}”）"));
            case JsonTest.Greater or JsonTest.GreaterOrEqual or JsonTest.Less or JsonTest.LessOrEqual or JsonTest.Length:
                var number = reader.Json(expected, Verbatim($"where.{path}"), templates: false);
                return JsonValues.TryNumber(number, out _)
                    ? new JsonCondition(path, test, number, null)
                    : throw reader.Error(expected, T($"where.{path}: this test compares with a number (got {JsonValues.Show(number)})", $"where.{path}：这个检查条件要和数字比较（收到的是 {JsonValues.Show(number)}）"));
            default:
                return new JsonCondition(path, test, reader.Json(expected, Verbatim($"where.{path}"), templates: true), null);
        }
    }

    private static JsonPath ReadPath(YamlReader reader, YamlNode node, Text what)
    {
        var text = reader.Text(node, what);
        return JsonPath.TryParse(text, out var path, out var error)
            ? path
            : throw reader.Error(node, T($"{what}: {error}", $"{what}：{error}"));
    }

    private static List<Capture> ReadCaptures(YamlReader reader, YamlNode node)
    {
        var captures = new List<Capture>();
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, Verbatim("capture"))))
        {
            var variable = CheckVariableName(reader, keyNode);
            reader.DefinedVariables.Add(variable);
            if (value is YamlMappingNode mapping)
            {
                var entries = reader.Entries(mapping, Verbatim($"capture.{variable}"), ["regex", "json"]).ToList();
                if (entries.Count != 1)
                {
                    throw reader.Error(mapping, T($"capture.{variable} takes a JSON path, or one of json: PATH or regex: PATTERN", $"capture.{variable} 的值应当是 JSON 路径，或者 json: PATH、regex: PATTERN 二者之一"));
                }

                var (key, _, content) = entries[0];
                captures.Add(key == "regex"
                    ? new Capture(variable, reader.Mark(content), null, ReadRegex(reader, content, Verbatim($"capture.{variable}.regex")))
                    : new Capture(variable, reader.Mark(content), ReadPath(reader, content, Verbatim($"capture.{variable}")), null));
            }
            else
            {
                captures.Add(new Capture(variable, reader.Mark(value), ReadPath(reader, value, Verbatim($"capture.{variable}")), null));
            }
        }

        if (captures.Count == 0)
        {
            throw reader.Error(node, T("capture names no variable", "capture 中没有写任何变量"));
        }

        return captures;
    }

    private static Regex ReadRegex(YamlReader reader, YamlNode node, Text what)
    {
        var text = reader.Text(node, what);
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw reader.Error(node, T($"{what}: not a valid regular expression: {ex.Message}", $"{what}：不是有效的正则表达式：“{ex.Message}”"));
        }
    }

    /// <summary>A pattern that may hold <c>{{var}}</c> (filled in, regex-escaped, when the step runs); checked now
    /// with each placeholder standing for a plain word.</summary>
    private static Template ReadRegexTemplate(YamlReader reader, YamlNode node, Text what)
    {
        var template = reader.Template(node, what);
        try
        {
            _ = new Regex(template.Render(_ => "x"), RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error(node, T($"{what}: not a valid regular expression: {ex.Message}", $"{what}：不是有效的正则表达式：“{ex.Message}”"));
        }

        return template;
    }

    private static TimeSpan ShortTimeout(YamlReader reader, YamlNode value, TimeSpan timeout, Text what) =>
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
        foreach (var (key, _, content) in reader.Entries(reader.Mapping(value, Verbatim("close")), Verbatim("close"), ["code", "reason"]))
        {
            if (key == "code")
            {
                code = CloseCode(reader, content);
            }
            else
            {
                reason = reader.Text(content, Verbatim("reason"));
                if (Encoding.UTF8.GetByteCount(reason) > 123)
                {
                    throw reader.Error(content, T("a close reason is at most 123 bytes of UTF-8 (RFC 6455 5.5)", "关闭原因最多 123 字节（UTF-8 编码，RFC 6455 5.5）"));
                }
            }
        }

        return (code, reason);
    }

    /// <summary>Codes an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1014 and 3000-4999; 1005, 1006 and 1015
    /// are never sent.</summary>
    private static int CloseCode(YamlReader reader, YamlNode node)
    {
        var code = reader.Int(node, Verbatim("code"), 1000, 4999);
        if (code is 1004 or 1005 or 1006 or 1015 || code is > 1014 and < 3000)
        {
            throw reader.Error(node, T($"{code} cannot be sent in a Close frame (RFC 6455 7.4: use 1000-1003, 1007-1014 or 3000-4999)", $"关闭码 {code} 不能在关闭帧中发送（RFC 6455 7.4：请使用 1000-1003、1007-1014 或 3000-4999）"));
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
            code = reader.Int(value, T("expect-close (a close code)", "expect-close（关闭码）"), 1000, 4999);
        }
        else if (!reader.IsNull(value))
        {
            foreach (var (key, _, content) in reader.Entries(reader.Mapping(value, Verbatim("expect-close")), Verbatim("expect-close"), ["code", "reason", "reason-regex"]))
            {
                switch (key)
                {
                    case "code":
                        code = reader.Int(content, Verbatim("code"), 1000, 4999);
                        break;
                    case "reason":
                        reason = reader.Text(content, Verbatim("reason"));
                        break;
                    default:
                        pattern = ReadRegex(reader, content, Verbatim("reason-regex"));
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
            throw reader.Error(step, T($"{action} needs steps: beside it", $"{action} 旁边需要写 steps:"));
        }

        var steps = ReadSteps(reader, stepsNode, timeout, Verbatim($"{action}.steps"));
        if (steps.Count == 0)
        {
            throw reader.Error(stepsNode, T($"{action}.steps is empty", $"{action}.steps 为空"));
        }

        if (action == "repeat")
        {
            var times = reader.Int(value, T("repeat (a count)", "repeat（次数）"), 1, MaxIterations);
            TimeSpan? every = modifiers.TryGetValue("every", out var e) ? reader.Duration(e, Verbatim("every"), 24 * 3600) : null;
            return new RepeatStep(mark, name ?? $"repeat {times.ToString(CultureInfo.InvariantCulture)}x", times, null, every, times, steps);
        }

        TimeSpan? duration = null, pace = null;
        var max = MaxIterations;
        foreach (var (key, _, content) in reader.Entries(reader.Mapping(value, Verbatim("loop")), Verbatim("loop"), ["for", "every", "max-iterations"]))
        {
            switch (key)
            {
                case "for":
                    duration = reader.Duration(content, Verbatim("for"), 7 * 24 * 3600);
                    break;
                case "every":
                    pace = reader.Duration(content, Verbatim("every"), 24 * 3600);
                    break;
                default:
                    max = reader.Int(content, Verbatim("max-iterations"), 1, MaxIterations);
                    break;
            }
        }

        if (duration is null)
        {
            throw reader.Error(value, T("loop needs for: DURATION (use repeat: N for a count)", "loop 需要 for: DURATION（按次数重复请用 repeat: N）"));
        }

        return new RepeatStep(mark, name ?? $"loop {Durations.Format(duration.Value)}", null, duration, pace, max, steps);
    }

    private static byte[] Hex(YamlReader reader, YamlNode node, Text what)
    {
        var text = new string(reader.Text(node, what).Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray());
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw reader.Error(node, T($"{what}: not hexadecimal bytes (pairs of 0-9a-f; spaces and colons are ignored)", $"{what}：不是十六进制字节（每两位 0-9a-f 表示一个字节，空格和冒号会被忽略）"));
        }
    }

    private static byte[] Base64(YamlReader reader, YamlNode node, Text what)
    {
        try
        {
            return Convert.FromBase64String(reader.Text(node, what).Trim());
        }
        catch (FormatException)
        {
            throw reader.Error(node, T($"{what}: not valid base64", $"{what}：不是有效的 base64"));
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
