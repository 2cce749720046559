using System.Globalization;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;
using Wsdoctor.Protocol.Text;
using static Wsdoctor.Findings.Text;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wsdoctor.Scenarios.Loading;

/// <summary>Typed reads of YAML nodes that fail with the node's line and column, and the bookkeeping the loader
/// checks at the end (templates that name variables, calls that name flows).</summary>
internal sealed class YamlReader(string file, string baseDirectory, Func<string, string?> environment)
{
    public string File => file;

    public string BaseDirectory => baseDirectory;

    public Func<string, string?> Environment => environment;

    /// <summary>Every <c>{{name}}</c> written, with where, checked once all vars, captures and with: are known.</summary>
    public List<(string Name, SourceMark Mark)> TemplateUses { get; } = [];

    public HashSet<string> DefinedVariables { get; } = new(StringComparer.Ordinal);

    public List<(string Flow, SourceMark Mark)> Calls { get; } = [];

    public SourceMark Mark(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    public ScenarioFileException Error(YamlNode node, Text reason) => new(Mark(node), reason);

    public YamlMappingNode Mapping(YamlNode node, Text what) =>
        node as YamlMappingNode ?? throw Error(node, T($"{what} must be a mapping (key: value lines)", $"{what}{Gap(what)}必须是映射（key: value 形式的行）"));

    public YamlSequenceNode Sequence(YamlNode node, Text what) =>
        node as YamlSequenceNode ?? throw Error(node, T($"{what} must be a list (lines starting with '- ')", $"{what}{Gap(what)}必须是列表（以 '- ' 开头的行）"));

    /// <summary>A mapping's pairs with YAML merge keys applied (<c>&lt;&lt;: *anchor</c> or a list of them): merged
    /// pairs come first, and a key written in the mapping itself wins over a merged one.</summary>
    public IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> Pairs(YamlMappingNode mapping)
    {
        if (!mapping.Children.Keys.Any(IsMergeKey))
        {
            return [.. mapping.Children];
        }

        var own = mapping.Children.Where(p => !IsMergeKey(p.Key)).ToList();
        var ownKeys = own.Select(p => (p.Key as YamlScalarNode)?.Value).ToHashSet(StringComparer.Ordinal);
        var merged = new List<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var value in mapping.Children.Where(p => IsMergeKey(p.Key)).Select(p => p.Value))
        {
            var sources = value switch
            {
                YamlMappingNode one => [one],
                YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode) => list.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw Error(value, T("a merge key (<<) takes a mapping or a list of mappings (usually *anchors)", "合并键（<<）的值必须是映射或映射的列表（通常是 *anchor）")),
            };
            foreach (var source in sources)
            {
                foreach (var pair in Pairs(source))
                {
                    var name = (pair.Key as YamlScalarNode)?.Value;
                    if (!ownKeys.Contains(name) && !merged.Any(m => (m.Key as YamlScalarNode)?.Value == name))
                    {
                        merged.Add(pair);
                    }
                }
            }
        }

        return [.. merged, .. own];
    }

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain or ScalarStyle.Any };

    /// <summary>The keys of a mapping, each checked against <paramref name="allowed"/> (with a suggestion for a typo).</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMappingNode mapping, Text what, IReadOnlyCollection<string> allowed)
    {
        foreach (var (keyNode, value) in Pairs(mapping))
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw Error(keyNode, T($"the keys of {what} must be plain words", $"{what}{Gap(what)}的键必须是普通的单词"));
            }

            if (!allowed.Contains(key))
            {
                var hint = Suggest(key, allowed) is { } near
                    ? T($"; did you mean '{near}'?", $"；是不是想写“{near}”？")
                    : T($" (known: {string.Join(", ", allowed)})", $"（可用的键：{string.Join(", ", allowed)}）");
                throw Error(keyNode, T($"unknown key '{key}' in {what}{hint}", $"{what}{Gap(what)}中有未知的键“{key}”{hint}"));
            }

            yield return (key, keyNode, value);
        }
    }

    /// <summary>A scalar's text with <c>${ENV}</c> expanded.</summary>
    public string Text(YamlNode node, Text what)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, node is YamlMappingNode
                ? T($"{what} must be a single value, not a mapping", $"{what}{Gap(what)}必须是单个值，而不是映射")
                : T($"{what} must be a single value, not a list", $"{what}{Gap(what)}必须是单个值，而不是列表"));
        }

        try
        {
            return EnvironmentText.Expand(scalar.Value ?? "", environment);
        }
        catch (EnvironmentTextException ex)
        {
            throw Error(node, T($"{what}: {ex.Text}", $"{what}：{ex.Text}"));
        }
    }

    public bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>A scalar as a template, with its placeholders recorded for the end-of-file check.</summary>
    public Template Template(YamlNode node, Text what)
    {
        var template = Model.Template.Parse(Text(node, what));
        foreach (var name in template.Names)
        {
            TemplateUses.Add((name, Mark(node)));
        }

        return template;
    }

    public bool Bool(YamlNode node, Text what) => Text(node, what).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => throw Error(node, T($"{what} must be true or false (got '{other}')", $"{what}{Gap(what)}必须是 true 或 false（收到的是“{other}”）")),
    };

    public int Int(YamlNode node, Text what, int min, int max)
    {
        var text = Text(node, what);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(node, T($"{what} must be a whole number from {min} to {max} (got '{text}')", $"{what}{Gap(what)}必须是 {min} 到 {max} 之间的整数（收到的是“{text}”）"));
        }

        return value;
    }

    public TimeSpan Duration(YamlNode node, Text what, double maxSeconds = 24 * 3600)
    {
        var text = Text(node, what);
        if (!Durations.TryParse(text, out var value))
        {
            throw Error(node, T($"{what} must be a duration such as 5s, 500ms, 2m (got '{text}')", $"{what}{Gap(what)}必须是时长，如 5s、500ms、2m（收到的是“{text}”）"));
        }

        if (value.TotalSeconds > maxSeconds)
        {
            throw Error(node, T($"{what} is at most {Durations.Format(TimeSpan.FromSeconds(maxSeconds))} (got '{text}')", $"{what}{Gap(what)}最长为 {Durations.Format(TimeSpan.FromSeconds(maxSeconds))}（收到的是“{text}”）"));
        }

        return value;
    }

    /// <summary>One value or a list of them.</summary>
    public IReadOnlyList<string> TextList(YamlNode node, Text what) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(child => Text(child, what))],
        _ => [Text(node, what)],
    };

    /// <summary>A path relative to the scenario file's directory, made absolute.</summary>
    public string FilePath(YamlNode node, Text what)
    {
        var text = Text(node, what);
        if (text.Length == 0)
        {
            throw Error(node, T($"{what} is empty", $"{what}{Gap(what)}为空"));
        }

        var expanded = text.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), text[2..])
            : text;
        return Path.GetFullPath(expanded, baseDirectory);
    }

    /// <summary>A YAML value as JSON: plain scalars typed by YAML's core schema (null, booleans, numbers), quoted
    /// ones always strings, <c>${ENV}</c> expanded in both.</summary>
    public JsonNode? Json(YamlNode node, Text what, bool templates)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, value) in Pairs(mapping))
                {
                    var key = Text(keyNode, T($"a member name in {what}", $"{what}{Gap(what)}中的成员名"));
                    if (obj.ContainsKey(key))
                    {
                        throw Error(keyNode, T($"'{key}' appears twice in {what}", $"“{key}”在{GapBefore(what)}{what}{Gap(what)}中出现了两次"));
                    }

                    if (templates)
                    {
                        Template(keyNode, what);
                    }

                    obj[key] = Json(value, what, templates);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(child => Json(child, what, templates))]);
            case YamlScalarNode scalar:
                var text = Text(scalar, what);
                if (templates)
                {
                    Template(scalar, what);
                }

                if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Tag.IsEmpty)
                {
                    return PlainScalar(scalar, text);
                }

                return JsonValue.Create(text);
            default:
                throw Error(node, T($"{what}: unsupported YAML node", $"{what}：不支持的 YAML 节点"));
        }
    }

    private JsonNode? PlainScalar(YamlScalarNode scalar, string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
            case ".inf" or "-.inf" or "+.inf" or ".nan" or ".NaN" or ".Inf" or "-.Inf":
                throw Error(scalar, T($"'{text}' has no JSON form", $"“{text}”无法表示为 JSON"));
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonNode.Parse(number.ToString(CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    /// <summary>The space between <paramref name="what"/> and the Chinese word after it: one after a key or other Latin
    /// word, none after a Chinese one (“步骤必须是映射”, “send.text 必须是映射”).</summary>
    private static string Gap(Text what) => what.Zh.Length > 0 && !IsCjk(what.Zh[^1]) ? " " : "";

    private static string GapBefore(Text what) => what.Zh.Length > 0 && !IsCjk(what.Zh[0]) ? " " : "";

    private static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3000' and <= '\u303f' or >= '\uff00' and <= '\uffef';

    private static string? Suggest(string key, IReadOnlyCollection<string> allowed) =>
        allowed.Select(a => (a, d: Distance(key, a))).Where(x => x.d <= Math.Max(2, key.Length / 3) && x.d < key.Length).OrderBy(x => x.d).Select(x => x.a).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
