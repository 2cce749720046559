using Wsdoctor.Findings;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.location-redirect: a request for /ws reaching <c>location /ws/ { proxy_pass ...; }</c> gets
/// "301 Moved Permanently" to /ws/ (ngx_http_core_find_location's auto_redirect), and browsers never follow a
/// redirect on a WebSocket upgrade. With --ws-path the paths clients use are known; without, every WebSocket
/// location ending in "/" that has no location for the bare path is reported.</summary>
public sealed class LocationRedirectRule : INginxRule
{
    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        var paths = context.Options.WsPaths;
        foreach (var server in context.Model.Servers)
        {
            var candidates = paths.Count > 0
                ? paths.Select(p => (Path: p, LocationMatcher.Select(server.Locations, p).Redirects))
                : context.WebSockets.Where(w => w.Server == server && w.Location.AutoRedirects)
                    .Select(w => (Path: w.Location.Pattern[..^1], LocationMatcher.Select(server.Locations, w.Location.Pattern[..^1]).Redirects));
            foreach (var (path, redirects) in candidates.Where(c => c.Redirects is not null).DistinctBy(c => (c.Path, c.Redirects)))
            {
                var location = redirects!;
                var exact = NginxFixBlock.For(location.Directive, $"location = {path} {{");
                yield return NginxLintContext.At(Codes.NginxLocationRedirect, location.Directive,
                    $"a WebSocket to {path} gets \"301 Moved Permanently\" to {path}/ from {location.Title}, and browsers do not follow redirects on an upgrade",
                    [
                        $"{location.Title} at {location.Directive.Location} ends in \"/\" and passes requests on ({location.ProxyPass?.Text ?? "a *_pass directive"})",
                        $"no location = {path} or location {path} in this server{(paths.Count > 0 ? $" (--ws-path {path})" : $"; clients that open {path} without the slash are redirected (pass --ws-path to say which path they use)")}",
                    ],
                    $"# next to {location.Title} {{ … }}, so that {path} itself is proxied:\n{exact}",
                    fix: $"Add `location = {path}` with the same directives (or use the path with the slash in the clients); browsers never follow a 301 on an upgrade.",
                    data: new Dictionary<string, object?> { ["location"] = location.Title, ["path"] = path, ["redirectsTo"] = path + "/" });
            }
        }
    }
}
