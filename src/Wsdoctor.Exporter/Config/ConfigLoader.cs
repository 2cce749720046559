using System.Text.RegularExpressions;
using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Protocol.Text;
using Wsdoctor.Scenarios.Loading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Exporter.Config;

/// <summary>A config file the exporter refuses, with where (file:line:column).</summary>
public sealed class ConfigException(Text message) : Exception(OneLine.Of(message?.En ?? ""))
{
    /// <summary>The message in every output language, on one line (<see cref="Exception.Message"/> is its English).</summary>
    public Text Text { get; } = (message ?? Text.Empty).Map(OneLine.Of);
}

/// <summary>Reads the exporter's YAML config (docs/exporter.md) through YamlDotNet's representation model, so that
/// every mistake is reported with its line and column before the exporter listens.</summary>
public static partial class ConfigLoader
{
    private static readonly string[] ModuleKeys =
    [
        "timeout", "step_timeout", "headers", "origin", "subprotocols", "token", "token_in", "cookie", "send", "expect",
        "tls", "proxy", "no_proxy", "follow_up_probes", "scenario",
    ];

    private static readonly string[] TlsKeys = ["insecure", "ca", "cert", "key"];

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ModuleName();

    public static ExporterConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(T($"{path}: cannot read the config: {ex.Message}", $"{path}：无法读取配置：{ex.Message}"));
        }

        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    public static ExporterConfig Parse(string text, string file, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
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
            throw new ConfigException(T($"{file}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}", $"{file}:{ex.Start.Line}:{ex.Start.Column}：{ex.Message}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner and its representation model throw these for some malformed input: a bad file.
            var mark = parser.Current?.Start;
            throw new ConfigException(T($"{file}:{mark?.Line ?? 0}:{mark?.Column ?? 0}: not valid YAML here", $"{file}:{mark?.Line ?? 0}:{mark?.Column ?? 0}：此处不是有效的 YAML"));
        }

        if (shape is not null)
        {
            throw new ConfigException(T($"{file}:{shape.At.Line}:{shape.At.Column}: {shape.Reason}", $"{file}:{shape.At.Line}:{shape.At.Column}：{shape.Reason}"));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigException(T($"{file}: the config must be a mapping with a modules: key", $"{file}：配置必须是带有 modules: 键的映射"));
        }

        var modules = new Dictionary<string, Module>(StringComparer.Ordinal);
        var allow = new List<TargetPattern>();
        foreach (var (key, value) in root.Children)
        {
            var name = Scalar(file, key, Key);
            if (name == "allow_targets")
            {
                allow.AddRange(AllowTargets(file, value));
                continue;
            }

            if (name != "modules")
            {
                throw Error(file, key, T($"unknown key '{name}' (the config has modules: and allow_targets:)", $"未知的键“{name}”（配置只有 modules: 和 allow_targets: 两个键）"));
            }

            if (value is not YamlMappingNode list)
            {
                throw Error(file, value, T("modules: must be a mapping of module names to their settings", "modules：必须是从模块名到其设置的映射"));
            }

            foreach (var (moduleKey, moduleValue) in list.Children)
            {
                var moduleName = Scalar(file, moduleKey, T("module name", "模块名"));
                if (!ModuleName().IsMatch(moduleName))
                {
                    throw Error(file, moduleKey, T($"module name '{moduleName}': letters, digits, _ . - only", $"模块名“{moduleName}”：只能包含字母、数字和 _ . -"));
                }

                modules[moduleName] = ReadModule(file, baseDirectory, moduleName, moduleValue);
            }
        }

        if (modules.Count == 0)
        {
            throw new ConfigException(T($"{file}: no modules defined", $"{file}：没有定义任何模块"));
        }

        return new ExporterConfig(modules) { AllowTargets = allow };
    }

    private static IEnumerable<TargetPattern> AllowTargets(string file, YamlNode value)
    {
        if (value is not YamlSequenceNode list)
        {
            throw Error(file, value, T(
                "allow_targets: must be a list of target patterns, e.g. [\"wss://*.example.com\", \"10.0.0.5:8080\"]",
                "allow_targets：必须是目标模式的列表，例如 [\"wss://*.example.com\", \"10.0.0.5:8080\"]"));
        }

        foreach (var item in list.Children)
        {
            var (pattern, error) = TargetPattern.Parse(Scalar(file, item, T("allow_targets entry", "allow_targets 条目")));
            yield return pattern ?? throw Error(file, item, error!);
        }
    }

    private static Module ReadModule(string file, string baseDirectory, string name, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(file, node, T($"module {name} must be a mapping of settings", $"模块 {name} 必须是设置项的映射"));
        }

        var module = new Module { Name = name };
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(file, keyNode, Key);
            module = key switch
            {
                "timeout" => module with { Timeout = Duration(file, value, key) },
                "step_timeout" => module with { StepTimeout = Duration(file, value, key) },
                "headers" => module with { Headers = Headers(file, value) },
                "origin" => module with { Origin = Scalar(file, value, key) },
                "subprotocols" => module with { Subprotocols = List(file, value, key) },
                "token" => module with { Token = Secret(file, baseDirectory, value, key) },
                "token_in" => module with { TokenIn = TokenIn(file, value) },
                "cookie" => module with { Cookie = Secret(file, baseDirectory, value, key) },
                "send" => module with { Send = Scalar(file, value, key) },
                "expect" => module with { Expect = Regex(file, value) },
                "tls" => Tls(file, baseDirectory, value, module),
                "proxy" => module with { Proxy = Scalar(file, value, key) },
                "no_proxy" => module with { NoProxy = Bool(file, value, key) },
                "follow_up_probes" => module with { FollowUpProbes = Bool(file, value, key) },
                "scenario" => module with { Scenario = Scenario(file, baseDirectory, value) },
                _ => throw Error(file, keyNode, T(
                    $"unknown key '{key}' in module {name}; keys: {string.Join(", ", ModuleKeys)}",
                    $"模块 {name} 中有未知的键“{key}”；可用的键：{string.Join(", ", ModuleKeys)}")),
            };
        }

        if (module.StepTimeout > module.Timeout)
        {
            module = module with { StepTimeout = module.Timeout };
        }

        if (module.Scenario is not null && (module.Send is not null || module.Expect is not null))
        {
            throw Error(file, node, T($"module {name}: scenario: carries its own steps; send:/expect: do not go with it", $"模块 {name}：scenario: 自带步骤，不能再与 send:/expect: 一起使用"));
        }

        if (module.Proxy is not null && module.NoProxy)
        {
            throw Error(file, node, T($"module {name}: proxy: and no_proxy: true exclude each other", $"模块 {name}：proxy: 与 no_proxy: true 互斥"));
        }

        if ((module.CertFile is null) != (module.KeyFile is null))
        {
            throw Error(file, node, T($"module {name}: tls cert: and key: go together", $"模块 {name}：tls 的 cert: 和 key: 必须同时给出"));
        }

        return module;
    }

    private static Module Tls(string file, string baseDirectory, YamlNode node, Module module)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(file, node, T("tls: must be a mapping (insecure, ca, cert, key)", "tls：必须是映射（insecure、ca、cert、key）"));
        }

        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(file, keyNode, Key);
            module = key switch
            {
                "insecure" => module with { Insecure = Bool(file, value, key) },
                "ca" => module with { CaFile = FilePath(file, baseDirectory, value, key) },
                "cert" => module with { CertFile = FilePath(file, baseDirectory, value, key) },
                "key" => module with { KeyFile = FilePath(file, baseDirectory, value, key) },
                _ => throw Error(file, keyNode, T($"unknown key '{key}' in tls; keys: {string.Join(", ", TlsKeys)}", $"tls 中有未知的键“{key}”；可用的键：{string.Join(", ", TlsKeys)}")),
            };
        }

        return module;
    }

    /// <summary>A credential: { env: NAME } or { file: PATH }. A literal is refused: it would sit in a ConfigMap.</summary>
    private static SecretSource Secret(string file, string baseDirectory, YamlNode node, string key)
    {
        if (node is not YamlMappingNode { Children.Count: 1 } map)
        {
            throw Error(file, node, T(
                $"{key}: takes {{ env: NAME }} or {{ file: PATH }}; a secret is never written in the config or the probe URL",
                $"{key}：取值为 {{ env: NAME }} 或 {{ file: PATH }}；凭据绝不写在配置或探测 URL 里"));
        }

        var (kind, value) = map.Children.Single();
        return Scalar(file, kind, Key) switch
        {
            "env" => new SecretSource(Scalar(file, value, "env"), null),
            "file" => new SecretSource(null, Path.GetFullPath(Scalar(file, value, "file"), baseDirectory)),
            var other => throw Error(file, kind, T($"{key}: unknown source '{other}' (env or file)", $"{key}：未知的来源“{other}”（只能是 env 或 file）")),
        };
    }

    private static TokenPlacement TokenIn(string file, YamlNode node)
    {
        var text = Scalar(file, node, "token_in");
        return TokenPlacement.TryParse(text, "token_in", out var placement, out var error)
            ? placement
            : throw Error(file, node, error);
    }

    private static string Scenario(string file, string baseDirectory, YamlNode node)
    {
        var path = FilePath(file, baseDirectory, node, "scenario");
        try
        {
            // Read now so that a broken scenario stops the exporter at start, with the scenario's own line and column.
            _ = ScenarioLoader.Load(path);
        }
        catch (ScenarioFileException ex)
        {
            throw new ConfigException(T($"{Mark(file, node)}: scenario: {ex.Message}", $"{Mark(file, node)}：scenario：{ex.Text}"));
        }

        return path;
    }

    private static string FilePath(string file, string baseDirectory, YamlNode node, string key)
    {
        var path = Path.GetFullPath(Scalar(file, node, key), baseDirectory);
        return File.Exists(path) ? path : throw Error(file, node, T($"{key}: no such file {path}", $"{key}：文件不存在：{path}"));
    }

    private static string Regex(string file, YamlNode node)
    {
        var pattern = Scalar(file, node, "expect");
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw Error(file, node, T($"expect: not a valid regular expression: {ex.Message}", $"expect：不是有效的正则表达式：{ex.Message}"));
        }

        return pattern;
    }

    private static IReadOnlyList<HttpHeader> Headers(string file, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(file, node, T("headers: must be a mapping of header names to values", "headers：必须是从头名称到值的映射"));
        }

        var headers = new List<HttpHeader>();
        foreach (var (keyNode, value) in map.Children)
        {
            var name = Scalar(file, keyNode, T("header name", "头名称"));
            var text = Scalar(file, value, name);
            if (name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)) || text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
            {
                throw Error(file, keyNode, T($"headers: '{name}' is not a valid header", $"headers：“{name}”不是有效的头"));
            }

            if (Protocol.Secrets.SecretRedactor.IsSecretHeader(name))
            {
                throw Error(file, keyNode, T(
                    $"headers: {name} carries a secret; use token: {{ env: NAME }} (with token_in: header:{name}) or cookie: {{ file: PATH }}",
                    $"headers：{name} 携带凭据；请改用 token: {{ env: NAME }}（并设置 token_in: header:{name}）或 cookie: {{ file: PATH }}"));
            }

            headers.Add(new HttpHeader(name, text));
        }

        return headers;
    }

    private static IReadOnlyList<string> List(string file, YamlNode node, string key) => node switch
    {
        YamlSequenceNode seq => [.. seq.Children.Select(c => Scalar(file, c, key))],
        YamlScalarNode => [Scalar(file, node, key)],
        _ => throw Error(file, node, T($"{key}: must be a list", $"{key}：必须是列表")),
    };

    private static TimeSpan Duration(string file, YamlNode node, string key)
    {
        var text = Scalar(file, node, key);
        return Durations.TryParse(text, out var value) && value <= TimeSpan.FromMinutes(5)
            ? value
            : throw Error(file, node, T($"{key}: takes a duration up to 5m such as 10s or 500ms (got '{text}')", $"{key}：取值为不超过 5m 的时长，如 10s 或 500ms（收到的是“{text}”）"));
    }

    private static bool Bool(string file, YamlNode node, string key) => Scalar(file, node, key) switch
    {
        "true" => true,
        "false" => false,
        var other => throw Error(file, node, T($"{key}: takes true or false (got '{other}')", $"{key}：取值为 true 或 false（收到的是“{other}”）")),
    };

    private static Text Key => T("key", "键");

    /// <summary>The value of a scalar node; <paramref name="key"/> is the config key it belongs to, as written.</summary>
    private static string Scalar(string file, YamlNode node, string key) => Scalar(file, node, Verbatim(key));

    private static string Scalar(string file, YamlNode node, Text what) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(file, node, T($"{what} must be a single value", $"{what}：必须是单个值"));

    private static string Mark(string file, YamlNode node) => $"{file}:{node.Start.Line}:{node.Start.Column}";

    private static ConfigException Error(string file, YamlNode node, Text reason) =>
        new(T($"{Mark(file, node)}: {reason}", $"{Mark(file, node)}：{reason}"));
}
