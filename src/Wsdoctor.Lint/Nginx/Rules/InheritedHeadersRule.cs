using Wsdoctor.Findings;

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

            var evidence = new List<string> { $"{location.Title} at {location.Directive.Location} sets {own.Length} proxy_set_header line(s) of its own, from {own[0].Location}" };
            evidence.AddRange(lost.Select(l => $"not sent from this location: {l.Text} ({inherited.Kind} level, {l.Location})"));
            yield return NginxLintContext.At(Codes.NginxInheritedHeaders, own[0],
                $"{location.Title} drops the {inherited.Kind}-level proxy_set_header lines: {string.Join(", ", lost.Select(l => l.Arg(0)))}",
                evidence, fix.ToString(),
                data: new Dictionary<string, object?> { ["location"] = location.Title, ["lost"] = lost.Select(l => l.Arg(0)).ToArray() });
        }
    }
}
