using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.inherited-headers: a location with any proxy_set_header of its own inherits none from server or
/// http (array directives are inherited only by levels that define none). Judged for every location that passes
/// requests on, since the headers it loses matter whatever the traffic.</summary>
public sealed class InheritedHeadersRule : INginxRule
{
    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        foreach (var location in context.Model.Servers.SelectMany(s => s.AllLocations).Where(l => l.ProxyPass is not null))
        {
            var own = location.Scope.Own("proxy_set_header").ToArray();
            if (own.Length == 0 || location.Scope.Parent?.ArraySource("proxy_set_header") is not { } inherited)
            {
                continue;
            }

            var names = own.Select(l => l.Arg(0)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var lost = inherited.Own("proxy_set_header").Where(l => !names.Contains(l.Arg(0))).ToArray();
            if (lost.Length == 0)
            {
                continue;
            }

            var fix = NginxFixBlock.For(location.Directive);
            foreach (var line in lost)
            {
                fix.Add(line.Text, $"repeated from the {inherited.Kind} level");
            }

            var evidence = new List<Text>
            {
                T(
                    $"{location.Title} at {location.Directive.Location} sets {own.Length} proxy_set_header line(s) of its own, from {own[0].Location}",
                    $"{location.Title}（{location.Directive.Location}）自己设置了 {own.Length} 行 proxy_set_header，从 {own[0].Location} 开始"),
            };
            evidence.AddRange(lost.Select(l => T(
                $"not sent from this location: {l.Text} ({inherited.Kind} level, {l.Location})",
                $"这个 location 不会发送：{l.Text}（{inherited.Kind} 级别，{l.Location}）")));
            var dropped = string.Join(", ", lost.Select(l => l.Arg(0)));
            yield return NginxLintContext.At(Codes.NginxInheritedHeaders, own[0],
                T($"{location.Title} drops the {inherited.Kind}-level proxy_set_header lines: {dropped}", $"{location.Title} 丢掉了 {inherited.Kind} 级别的 proxy_set_header：{dropped}"),
                evidence, Verbatim(fix.ToString()),
                data: new Dictionary<string, object?> { ["location"] = location.Title, ["lost"] = lost.Select(l => l.Arg(0)).ToArray() });
        }
    }
}
