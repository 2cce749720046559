using Wsdoctor.Findings;

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
            var evidence = new List<string> { ws.Evidence };
            if (!headers.TryGetValue("Upgrade", out var upgrade))
            {
                missing.Add("Upgrade");
                lines.Add(HeaderLines.Upgrade);
            }

            if (!headers.TryGetValue("Connection", out var connection))
            {
                missing.Add("Connection");
                lines.Add(HeaderLines.Connection);
                evidence.Add("without proxy_set_header Connection nginx sends \"Connection: close\" to the upstream");
            }
            else if (!connection.Arg(1).Contains("upgrade", StringComparison.OrdinalIgnoreCase) && !connection.Arg(1).Contains('$', StringComparison.Ordinal))
            {
                missing.Add("Connection");
                evidence.Add($"{connection.Text} at {connection.Location} does not ask the upstream to upgrade");
            }

            if (missing.Count > 0)
            {
                if (WebSocketLocations.DeclaresUpgrade(location.Scope) is { } declared && !headers.Values.Contains(declared))
                {
                    evidence.Add($"{declared.Text} at {declared.Location} does not apply: the location sets proxy_set_header lines of its own, which drops every inherited one");
                }

                var fix = HeaderLines.AddTo(location, [.. lines]);
                if (connection is not null && missing.Contains("Connection"))
                {
                    fix.Replace(connection, HeaderLines.Connection);
                }

                var mapNote = context.Model.MapVariables().ContainsKey("connection_upgrade") ? "" : $"\nand in http {{}}:\n{HeaderLines.Map}";
                yield return NginxLintContext.At(Codes.NginxUpgradeHeaders, location.Directive,
                    $"{string.Join(" and ", missing)} not forwarded: the upstream never sees the WebSocket upgrade",
                    evidence, fix + mapNote,
                    data: new Dictionary<string, object?> { ["location"] = location.Title, ["missing"] = missing.ToArray() });
            }

            if (upgrade is not null && upgrade.Arg(1) != "$http_upgrade")
            {
                var source = location.Scope.ArraySource("proxy_set_header")!;
                var fix = NginxFixBlock.For(source.Owner!).Replace(upgrade, HeaderLines.Upgrade);
                var why = upgrade.Arg(1) == "$connection_upgrade"
                    ? "$connection_upgrade is the map's value for the Connection header (\"upgrade\" or \"close\"), not the protocol name"
                    : $"\"{upgrade.Arg(1)}\" is sent on every request, WebSocket or not, instead of the client's own Upgrade";
                yield return NginxLintContext.At(Codes.NginxUpgradeVariable, upgrade,
                    $"Upgrade is set to {upgrade.Arg(1)}, not $http_upgrade",
                    [ws.Evidence, $"{upgrade.Text} at {upgrade.Location}: {why}"], fix.ToString(),
                    data: new Dictionary<string, object?> { ["location"] = location.Title, ["value"] = upgrade.Arg(1) });
            }
        }
    }
}
