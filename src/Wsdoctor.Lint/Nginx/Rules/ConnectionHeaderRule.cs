using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.connection-hardcoded: <c>Connection "upgrade"</c> is sent with every request, so plain requests
/// through the same location ask the upstream to upgrade and lose keep-alive. nginx.connection-map-missing: the
/// variable in Connection must be defined, by <c>map $http_upgrade $connection_upgrade</c> in http
/// (https://nginx.org/en/docs/http/websocket.html); without it nginx refuses to start (unknown variable).</summary>
public sealed class ConnectionHeaderRule : INginxRule
{
    /// <summary>Variable families nginx defines itself (ngx_http_variables.c), which need no map.</summary>
    private static readonly string[] BuiltInPrefixes = ["http_", "sent_http_", "upstream_http_", "arg_", "cookie_"];

    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        var maps = context.Model.MapVariables();
        foreach (var ws in context.WebSockets)
        {
            if (!ws.Location.Scope.EffectiveHeaders().TryGetValue("Connection", out var connection))
            {
                continue;
            }

            var value = connection.Arg(1);
            var owner = ws.Location.Scope.ArraySource("proxy_set_header")!.Owner!;
            if (!value.Contains('$', StringComparison.Ordinal) && value.Contains("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                var fix = Verbatim(NginxFixBlock.For(owner).Replace(connection, HeaderLines.Connection).ToString());
                if (!maps.ContainsKey("connection_upgrade"))
                {
                    fix += HeaderLines.AndMapInHttp;
                }

                yield return NginxLintContext.At(Codes.NginxConnectionHardcoded, connection,
                    T(
                        $"Connection is hard-coded to \"{value}\": plain requests through {ws.Location.Title} also ask the upstream to upgrade and lose keep-alive",
                        $"Connection 写死为 \"{value}\"：经过 {ws.Location.Title} 的普通请求也会要求上游升级，并且失去 keep-alive"),
                    [ws.Evidence, T($"{connection.Text} at {connection.Location} is sent with every request, WebSocket or not", $"{connection.Text}（{connection.Location}）随每个请求发送，不管是不是 WebSocket")], fix,
                    data: new Dictionary<string, object?> { ["location"] = ws.Location.Title, ["value"] = value });
                continue;
            }

            if (VariableName(value) is not { } name || IsDefined(name, context))
            {
                continue;
            }

            var evidence = new List<Text> { ws.Evidence, T($"{connection.Text} at {connection.Location} uses ${name}", $"{connection.Text}（{connection.Location}）用到了 ${name}") };
            if (maps.TryGetValue(name, out var map))
            {
                if (name != "connection_upgrade" || map.Arg(0) == "$http_upgrade")
                {
                    continue;
                }

                evidence.Add(T($"the map at {map.Location} computes ${name} from {map.Arg(0)}, not from $http_upgrade", $"{map.Location} 处的 map 用 {map.Arg(0)} 计算 ${name}，而不是用 $http_upgrade"));
            }
            else
            {
                evidence.Add(T(
                    $"no map defines ${name} in http {{}} (nginx -t fails: unknown \"{name}\" variable)",
                    $"http {{}} 中没有定义 ${name} 的 map（nginx -t 会报错：unknown \"{name}\" variable）"));
            }

            yield return NginxLintContext.At(Codes.NginxConnectionMapMissing, connection,
                T($"${name} is used without a map $http_upgrade ${name} in http {{}}", $"用到了 ${name}，但 http {{}} 中没有 map $http_upgrade ${name}"),
                evidence, Verbatim($"http {{\n    {HeaderLines.Map.Replace("\n", "\n    ", StringComparison.Ordinal).Replace("$connection_upgrade", "$" + name, StringComparison.Ordinal)}\n    …\n}}"),
                data: new Dictionary<string, object?> { ["variable"] = name });
        }
    }

    /// <summary>The variable a value is exactly (<c>$connection_upgrade</c>, <c>${connection_upgrade}</c>).</summary>
    private static string? VariableName(string value)
    {
        if (!value.StartsWith('$'))
        {
            return null;
        }

        var name = value[1..].Trim('{', '}');
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : null;
    }

    private static bool IsDefined(string name, NginxLintContext context) =>
        BuiltInPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
        || context.Model.Http.Any(h => Sets(h.Directives, name));

    /// <summary>A <c>set $name</c> anywhere under http also defines the variable.</summary>
    private static bool Sets(IEnumerable<NginxDirective> directives, string name) =>
        directives.Any(d => (d.Is("set") && d.Arg(0) == "$" + name) || (d.Block is { } block && !d.Is("map") && Sets(block, name)));
}
