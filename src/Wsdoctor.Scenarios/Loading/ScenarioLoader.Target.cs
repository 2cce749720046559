using Wsdoctor.Probes;
using Wsdoctor.Protocol.Http;
using Wsdoctor.Scenarios.Model;
using YamlDotNet.RepresentationModel;

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
        foreach (var (key, keyNode, value) in reader.Entries(reader.Mapping(node, "target"), "target", TargetKeys))
        {
            target = key switch
            {
                "url" => target with { Url = ReadUrl(reader, value) },
                "headers" => target with { Headers = ReadHeaders(reader, value, target.Headers) },
                "origin" => target with { Origin = reader.Text(value, "origin") },
                "subprotocols" => target with { Subprotocols = reader.TextList(value, "subprotocols") },
                "token" => target with { Token = ReadSecret(reader, value, "token") },
                "token-in" => target with { TokenIn = ReadTokenIn(reader, value) },
                "cookie" => target with { Cookie = ReadSecret(reader, value, "cookie") },
                "insecure" => target with { Insecure = reader.Bool(value, "insecure") },
                "ca" => target with { CaFile = reader.FilePath(value, "ca") },
                "cert" => target with { CertFile = reader.FilePath(value, "cert") },
                "key" => target with { KeyFile = reader.FilePath(value, "key") },
                "connect-to" => target with { ConnectTo = reader.Text(value, "connect-to") },
                "family" => target with { Family = ReadFamily(reader, value) },
                "proxy" => target with { Proxy = reader.Text(value, "proxy") },
                "no-proxy" => target with { NoProxy = reader.Bool(value, "no-proxy") },
                "compress" => target with { Compress = reader.Bool(value, "compress") },
                "timeout" => target with { Timeout = reader.Duration(value, "timeout", 3600) },
                "open-timeout" => target with { OpenDeadline = reader.Duration(value, "open-timeout", 3600) },
                _ => throw reader.Error(keyNode, $"unknown key '{key}'"),
            };
        }

        if (target.Proxy is not null && target.NoProxy)
        {
            throw reader.Error(node, "proxy: and no-proxy: true exclude each other");
        }

        if ((target.CertFile is null) != (target.KeyFile is null))
        {
            throw reader.Error(node, "cert: and key: go together (the client certificate and its private key)");
        }

        return target;
    }

    private static string ReadUrl(YamlReader reader, YamlNode value)
    {
        var text = reader.Text(value, "url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw reader.Error(value, $"url must be an absolute ws:// or wss:// URL (got '{text}')");
        }

        return text;
    }

    private static IReadOnlyList<HttpHeader> ReadHeaders(YamlReader reader, YamlNode node, IReadOnlyList<HttpHeader> baseline)
    {
        var headers = baseline.ToList();
        foreach (var (keyNode, value) in reader.Pairs(reader.Mapping(node, "headers")))
        {
            var name = reader.Text(keyNode, "a header name");
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)))
            {
                throw reader.Error(keyNode, $"'{name}' is not a valid header name");
            }

            var text = reader.Text(value, $"headers.{name}");
            if (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
            {
                throw reader.Error(value, $"headers.{name}: a header value cannot span lines");
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
            return reader.Text(node, what);
        }

        var entries = reader.Entries(reader.Mapping(node, what), what, ["env", "file"]).ToList();
        if (entries.Count != 1)
        {
            throw reader.Error(node, $"{what} takes one of env: NAME or file: PATH");
        }

        var (key, _, value) = entries[0];
        if (key == "env")
        {
            var name = reader.Text(value, $"{what}.env");
            return FromEnvironment(reader, value, name, what);
        }

        var path = reader.FilePath(value, $"{what}.file");
        try
        {
            using var file = File.OpenText(path);
            return (file.ReadLine() ?? "").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw reader.Error(value, $"{what}.file: cannot read {path}: {ex.Message}");
        }
    }

    private static string FromEnvironment(YamlReader reader, YamlNode at, string name, string what)
    {
        try
        {
            return EnvironmentText.Expand($"${{{name}}}", reader.Environment);
        }
        catch (FormatException ex)
        {
            throw reader.Error(at, $"{what}.env: {ex.Message}");
        }
    }

    private static TokenPlacement ReadTokenIn(YamlReader reader, YamlNode value)
    {
        var text = reader.Text(value, "token-in");
        return TokenPlacement.TryParse(text, out var placement, out var error)
            ? placement
            : throw reader.Error(value, error.Replace("--token-in", "token-in", StringComparison.Ordinal));
    }

    private static AddressFamilyPreference ReadFamily(YamlReader reader, YamlNode value) => reader.Text(value, "family").ToLowerInvariant() switch
    {
        "any" => AddressFamilyPreference.Any,
        "ipv4" or "4" => AddressFamilyPreference.IPv4,
        "ipv6" or "6" => AddressFamilyPreference.IPv6,
        var other => throw reader.Error(value, $"family must be any, ipv4 or ipv6 (got '{other}')"),
    };
}
