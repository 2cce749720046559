using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.upgrade-headers: Upgrade and Connection are hop-by-hop headers, which nginx never passes on by
/// itself; without proxy_set_header it sends <c>Connection: close</c> and no Upgrade, and the upstream answers as plain
/// HTTP. nginx.upgrade-variable: Upgrade must carry the client's value, <c>$http_upgrade</c>.</summary>
public sealed class UpgradeHeadersRule : INginxRule
{
    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        foreach (var ws in context.WebSockets)
        {
            var location = ws.Location;
            var headers = location.Scope.EffectiveHeaders();
            var missing = new List<string>();
            var lines = new List<string>();
            var evidence = new List<Text> { ws.Evidence };
            if (!headers.TryGetValue("Upgrade", out var upgrade))
            {
                missing.Add("Upgrade");
                lines.Add(HeaderLines.Upgrade);
            }

            if (!headers.TryGetValue("Connection", out var connection))
            {
                missing.Add("Connection");
                lines.Add(HeaderLines.Connection);
                evidence.Add(T(
                    "without proxy_set_header Connection nginx sends \"Connection: close\" to the upstream",
                    "没有 proxy_set_header Connection 时，nginx 向上游发送的是 \"Connection: close\""));
            }
            else if (!connection.Arg(1).Contains("upgrade", StringComparison.OrdinalIgnoreCase) && !connection.Arg(1).Contains('$', StringComparison.Ordinal))
            {
                missing.Add("Connection");
                evidence.Add(T($"{connection.Text} at {connection.Location} does not ask the upstream to upgrade", $"{connection.Text}（{connection.Location}）没有要求上游升级"));
            }

            if (missing.Count > 0)
            {
                if (WebSocketLocations.DeclaresUpgrade(location.Scope) is { } declared && !headers.Values.Contains(declared))
                {
                    evidence.Add(T(
                        $"{declared.Text} at {declared.Location} does not apply: the location sets proxy_set_header lines of its own, which drops every inherited one",
                        $"{declared.Text}（{declared.Location}）不生效：这个 location 自己设置了 proxy_set_header，继承来的就全部丢掉了"));
                }

                var fix = HeaderLines.AddTo(location, [.. lines]);
                if (connection is not null && missing.Contains("Connection"))
                {
                    fix.Replace(connection, HeaderLines.Connection);
                }

                var mapNote = context.Model.MapVariables().ContainsKey("connection_upgrade") ? Text.Empty : HeaderLines.AndMapInHttp;
                var names = Text.Join(T(" and ", " 和 "), missing.Select(Verbatim));
                yield return NginxLintContext.At(Codes.NginxUpgradeHeaders, location.Directive,
                    T($"{names} not forwarded: the upstream never sees the WebSocket upgrade", $"没有转发 {names}：上游根本看不到 WebSocket 升级请求"),
                    evidence, Verbatim(fix.ToString()) + mapNote,
                    data: new Dictionary<string, object?> { ["location"] = location.Title, ["missing"] = missing.ToArray() });
            }

            if (upgrade is not null && upgrade.Arg(1) != "$http_upgrade")
            {
                var source = location.Scope.ArraySource("proxy_set_header")!;
                var fix = NginxFixBlock.For(source.Owner!).Replace(upgrade, HeaderLines.Upgrade);
                var why = upgrade.Arg(1) == "$connection_upgrade"
                    ? T(
                        "$connection_upgrade is the map's value for the Connection header (\"upgrade\" or \"close\"), not the protocol name",
                        "$connection_upgrade 是 map 为 Connection 头算出的值（\"upgrade\" 或 \"close\"），不是协议名")
                    : T(
                        $"\"{upgrade.Arg(1)}\" is sent on every request, WebSocket or not, instead of the client's own Upgrade",
                        $"不管是不是 WebSocket，每个请求发送的都是 \"{upgrade.Arg(1)}\"，而不是客户端自己的 Upgrade");
                yield return NginxLintContext.At(Codes.NginxUpgradeVariable, upgrade,
                    T($"Upgrade is set to {upgrade.Arg(1)}, not $http_upgrade", $"Upgrade 被设成了 {upgrade.Arg(1)}，而不是 $http_upgrade"),
                    [ws.Evidence, T($"{upgrade.Text} at {upgrade.Location}: {why}", $"{upgrade.Text}（{upgrade.Location}）：{why}")], Verbatim(fix.ToString()),
                    data: new Dictionary<string, object?> { ["location"] = location.Title, ["value"] = upgrade.Arg(1) });
            }
        }
    }
}
