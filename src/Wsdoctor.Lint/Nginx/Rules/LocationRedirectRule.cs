using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

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
                var pass = location.ProxyPass is { } p ? Verbatim(p.Text) : T("a *_pass directive", "某个 *_pass 指令");
                var why = paths.Count > 0
                    ? T($" (--ws-path {path})", $"（--ws-path {path}）")
                    : T(
                        $"; clients that open {path} without the slash are redirected (pass --ws-path to say which path they use)",
                        $"；客户端打开不带斜杠的 {path} 时会被重定向（可用 --ws-path 指明客户端用的路径）");
                yield return NginxLintContext.At(Codes.NginxLocationRedirect, location.Directive,
                    T(
                        $"a WebSocket to {path} gets \"301 Moved Permanently\" to {path}/ from {location.Title}, and browsers do not follow redirects on an upgrade",
                        $"连到 {path} 的 WebSocket 会被 {location.Title} 以 \"301 Moved Permanently\" 重定向到 {path}/，而浏览器在升级时不会跟随重定向"),
                    [
                        T(
                            $"{location.Title} at {location.Directive.Location} ends in \"/\" and passes requests on ({pass})",
                            $"{location.Title}（{location.Directive.Location}）以 \"/\" 结尾，并把请求转发出去（{pass}）"),
                        T($"no location = {path} or location {path} in this server{why}", $"这个 server 中没有 location = {path}，也没有 location {path}{why}"),
                    ],
                    T($"# next to {location.Title} {{ … }}, so that {path} itself is proxied:\n{exact}", $"# 放在 {location.Title} {{ … }} 旁边，让 {path} 本身也被代理：\n{exact}"),
                    fix: T(
                        $"Add `location = {path}` with the same directives (or use the path with the slash in the clients); browsers never follow a 301 on an upgrade.",
                        $"加上 `location = {path}`，写上同样的指令（或者让客户端使用带斜杠的路径）：浏览器在升级时从不跟随 301。"),
                    data: new Dictionary<string, object?> { ["location"] = location.Title, ["path"] = path, ["redirectsTo"] = path + "/" });
            }
        }
    }
}
