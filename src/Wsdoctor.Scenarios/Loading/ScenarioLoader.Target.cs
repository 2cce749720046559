using Wsdoctor.Findings;
using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.RepresentationModel;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Scenarios.Loading;

public static partial class ScenarioLoader
{
    private static readonly string[] TargetKeys =
    [
        "url", "headers", "origin", "subprotocols", "token", "token-in", "cookie", "insecure", "ca", "cert", "key",
        "connect-to", "family", "proxy", "no-proxy", "compress", "timeout", "open-timeout",
    ];

    /// <summary>A <c>target:</c> block read over <paramref name="baseline"/>: what it names replaces the baseline's
    /// value, headers are merged by name.</summary>
    private static TargetSpec ReadTarget(YamlReader reader, YamlNode node, TargetSpec baseline)
    {
        var target = baseline;
        foreach (var (key, keyNode, value) in reader.Entries(reader.Mapping(node, Verbatim("target")), Verbatim("target"), TargetKeys))
        {
            target = key switch
            {
                "url" => target with { Url = ReadUrl(reader, value) },
                "headers" => target with { Headers = ReadHeaders(reader, value, target.Headers) },
                "origin" => target with { Origin = reader.Text(value, Verbatim("origin")) },
                "subprotocols" => target with { Subprotocols = reader.TextList(value, Verbatim("subprotocols")) },
                "token" => target with { Token = ReadSecret(reader, value, "token") },
                "token-in" => target with { TokenIn = ReadTokenIn(reader, value) },
                "cookie" => target with { Cookie = ReadSecret(reader, value, "cookie") },
                "insecure" => target with { Insecure = reader.Bool(value, Verbatim("insecure")) },
                "ca" => target with { CaFile = reader.FilePath(value, Verbatim("ca")) },
                "cert" => target with { CertFile = reader.FilePath(value, Verbatim("cert")) },
                "key" => target with { KeyFile = reader.FilePath(value, Verbatim("key")) },
                "connect-to" => target with { ConnectTo = reader.Text(value, Verbatim("connect-to")) },
                "family" => target with { Family = ReadFamily(reader, value) },
                "proxy" => target with { Proxy = reader.Text(value, Verbatim("proxy")) },
                "no-proxy" => target with { NoProxy = reader.Bool(value, Verbatim("no-proxy")) },
                "compress" => target with { Compress = reader.Bool(value, Verbatim("compress")) },
                "timeout" => target with { Timeout = reader.Duration(value, Verbatim("timeout"), 3600) },
                "open-timeout" => target with { OpenDeadline = reader.Duration(value, Verbatim("open-timeout"), 3600) },
                _ => throw reader.Error(keyNode, T($"unknown key '{key}'", $"未知的键“{key}”")),
            };
        }

        if (target.Proxy is not null && target.NoProxy)
        {
            throw reader.Error(node, T("proxy: and no-proxy: true exclude each other", "proxy: 和 no-proxy: true 不能同时使用"));
        }

        if ((target.CertFile is null) != (target.KeyFile is null))
        {
            throw reader.Error(node, T("cert: and key: go together (the client certificate and its private key)", "cert: 和 key: 必须同时给出（客户端证书及其私钥）"));
        }

        return target;
    }

    private static string ReadUrl(YamlReader reader, YamlNode value)
    {
        var text = reader.Text(value, Verbatim("url"));
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw reader.Error(value, T($"url must be an absolute ws:// or wss:// URL (got '{text}')", $"url 必须是以 ws:// 或 wss:// 开头的绝对 URL（收到的是“{text}”）"));
        }

        return text;
    }

    private static IReadOnlyList<HttpHeader> ReadHeaders(YamlReader reader, YamlNode node, IReadOnlyList<HttpHeader> baseline)
    {
        var headers = baseline.ToList();
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, Verbatim("headers"))))
        {
            var name = reader.Text(keyNode, T("a header name", "请求头名称"));
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)))
            {
                throw reader.Error(keyNode, T($"'{name}' is not a valid header name", $"“{name}”不是合法的请求头名称"));
            }

            var text = reader.Text(value, Verbatim($"headers.{name}"));
            if (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
            {
                throw reader.Error(value, T($"headers.{name}: a header value cannot span lines", $"headers.{name}：请求头的值不能跨行"));
            }

            headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
            headers.Add(new HttpHeader(name, text));
        }

        return headers;
    }

    /// <summary>A secret written inline (usually <c>${ENV}</c>), or <c>{env: NAME}</c>, or <c>{file: PATH}</c>
    /// (its first line), so a token never has to be committed.</summary>
    private static string ReadSecret(YamlReader reader, YamlNode node, string what)
    {
        if (node is YamlScalarNode)
        {
            return reader.Text(node, Verbatim(what));
        }

        var entries = reader.Entries(reader.Mapping(node, Verbatim(what)), Verbatim(what), ["env", "file"]).ToList();
        if (entries.Count != 1)
        {
            throw reader.Error(node, T($"{what} takes one of env: NAME or file: PATH", $"{what} 只能写 env: NAME 或 file: PATH 中的一个"));
        }

        var (key, _, value) = entries[0];
        if (key == "env")
        {
            var name = reader.Text(value, Verbatim($"{what}.env"));
            return FromEnvironment(reader, value, name, what);
        }

        var path = reader.FilePath(value, Verbatim($"{what}.file"));
        try
        {
            using var file = File.OpenText(path);
            return (file.ReadLine() ?? "").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw reader.Error(value, T($"{what}.file: cannot read {path}: {ex.Message}", $"{what}.file：无法读取 {path}：“{ex.Message}”"));
        }
    }

    private static string FromEnvironment(YamlReader reader, YamlNode at, string name, string what)
    {
        try
        {
            return EnvironmentText.Expand($"${{{name}}}", reader.Environment);
        }
        catch (EnvironmentTextException ex)
        {
            throw reader.Error(at, T($"{what}.env: {ex.Text}", $"{what}.env：{ex.Text}"));
        }
    }

    private static TokenPlacement ReadTokenIn(YamlReader reader, YamlNode value)
    {
        var text = reader.Text(value, Verbatim("token-in"));
        return TokenPlacement.TryParse(text, "token-in", out var placement, out var error)
            ? placement
            : throw reader.Error(value, error);
    }

    private static AddressFamilyPreference ReadFamily(YamlReader reader, YamlNode value) => reader.Text(value, Verbatim("family")).ToLowerInvariant() switch
    {
        "any" => AddressFamilyPreference.Any,
        "ipv4" or "4" => AddressFamilyPreference.IPv4,
        "ipv6" or "6" => AddressFamilyPreference.IPv6,
        var other => throw reader.Error(value, T($"family must be any, ipv4 or ipv6 (got '{other}')", $"family 必须是 any、ipv4 或 ipv6（收到的是“{other}”）")),
    };
}
