using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Model;

/// <summary>A variable a template names that has no value yet: a typo, or a capture that has not run.</summary>
public sealed class UnsetVariableException(string name)
    : Exception($"the variable '{name}' is not set (no vars: entry, call with:, or earlier capture gives it a value)")
{
    public string Name => name;

    /// <summary>The message in both output languages.</summary>
    public Text Text => T(Message, $"变量 '{name}' 没有设置（vars:、call 的 with: 和前面的 capture 都没有给它赋值）");
}

/// <summary>The values templates see while one scenario runs on one connection: the built-ins, the scenario's
/// <c>vars:</c>, captured values (which stay set after the flow that captured them returns) and the
/// <c>with:</c> of the calls in progress (innermost first). Values keep their JSON type, so a captured number
/// placed alone in a JSON string (<c>"{{id}}"</c>) is sent as a number.</summary>
public sealed class Variables
{
    public static readonly IReadOnlySet<string> BuiltIns = new HashSet<string>(StringComparer.Ordinal) { "seq", "uuid", "now", "now_ms", "iteration", "connection", "scenario" };

    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);
    private readonly List<Dictionary<string, JsonNode?>> _calls = [];
    private readonly List<int> _iterations = [];
    private readonly TimeProvider _time;

    public Variables(IReadOnlyDictionary<string, string> vars, string scenario, int connection, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(vars);
        foreach (var (name, value) in vars)
        {
            _values[name] = JsonValue.Create(value);
        }

        Scenario = scenario;
        Connection = connection;
        _time = time ?? TimeProvider.System;
    }

    public string Scenario { get; }

    public int Connection { get; }

    /// <summary>The send counter: 1 for the first message this connection sends.</summary>
    public long Seq { get; private set; }

    public void NextSeq() => Seq++;

    public void Set(string name, JsonNode? value) => _values[name] = value?.DeepClone();

    public bool IsSet(string name) => Lookup(name, out _);

    public void PushCall(IReadOnlyDictionary<string, JsonNode?> with) => _calls.Add(new Dictionary<string, JsonNode?>(with, StringComparer.Ordinal));

    public void PopCall() => _calls.RemoveAt(_calls.Count - 1);

    public void PushIteration() => _iterations.Add(0);

    public void SetIteration(int value) => _iterations[^1] = value;

    public void PopIteration() => _iterations.RemoveAt(_iterations.Count - 1);

    /// <summary>A variable's value as JSON (built-ins included).</summary>
    /// <exception cref="UnsetVariableException"/>
    public JsonNode? Get(string name)
    {
        switch (name)
        {
            case "seq":
                return JsonValue.Create(Seq);
            case "uuid":
                return JsonValue.Create(Guid.NewGuid().ToString());
            case "now":
                return JsonValue.Create(_time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            case "now_ms":
                return JsonValue.Create(_time.GetUtcNow().ToUnixTimeMilliseconds());
            case "iteration":
                return JsonValue.Create(_iterations.Count == 0 ? 0 : _iterations[^1]);
            case "connection":
                return JsonValue.Create(Connection);
            case "scenario":
                return JsonValue.Create(Scenario);
        }

        return Lookup(name, out var value) ? value?.DeepClone() : throw new UnsetVariableException(name);
    }

    /// <summary>A variable as text: strings as they are, other JSON values in JSON notation.</summary>
    public string GetText(string name) => AsText(Get(name));

    public string Render(Template template, Func<string, string>? escape = null) => template.Render(GetText, escape);

    /// <summary>A copy of <paramref name="node"/> with the templates in its strings and member names filled in; a
    /// string that is exactly one placeholder takes the variable's JSON value and type.</summary>
    public JsonNode? RenderJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    copy[Render(Template.Parse(name))] = RenderJson(value);
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(RenderJson)]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var template = Template.Parse(value.GetValue<string>());
                if (template.IsLiteral)
                {
                    return value.DeepClone();
                }

                if (template.IsSinglePlaceholder)
                {
                    return Get(template.Names[0]);
                }

                return JsonValue.Create(Render(template));
            default:
                return node.DeepClone();
        }
    }

    public static string AsText(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "null";

    private bool Lookup(string name, out JsonNode? value)
    {
        for (var i = _calls.Count - 1; i >= 0; i--)
        {
            if (_calls[i].TryGetValue(name, out value))
            {
                return true;
            }
        }

        return _values.TryGetValue(name, out value);
    }
}
