using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.http-version: nginx tunnels an upgrade only when it talks HTTP/1.1 to the upstream
/// (ngx_http_proxy_module, "WebSocket proxying"); before 1.29.7 the default is 1.0.</summary>
public sealed class HttpVersionRule : INginxRule
{
    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        var version = context.Options.Version;
        foreach (var ws in context.WebSockets)
        {
            var location = ws.Location;
            var set = location.Scope.Effective("proxy_http_version");
            if (set is not null && set.Arg(0) == "1.1")
            {
                continue;
            }

            if (set is null && version.DefaultsToHttp11)
            {
                continue;
            }

            var fix = NginxFixBlock.For(location.Directive);
            if (set is not null && location.Scope.Own("proxy_http_version").Contains(set))
            {
                fix.Replace(set, "proxy_http_version 1.1;");
            }
            else
            {
                fix.Add("proxy_http_version 1.1;");
            }

            var evidence = new List<Text> { ws.Evidence };
            Text message;
            NginxDirective at;
            if (set is null)
            {
                at = location.Directive;
                message = T(
                    $"proxy_http_version is not set: {version.Named} forwards the upgrade as HTTP/1.0, which WebSocket servers refuse (RFC 6455 needs HTTP/1.1)",
                    $"没有设置 proxy_http_version：{version.Named} 会用 HTTP/1.0 转发升级请求，WebSocket 服务端会拒绝（RFC 6455 要求 HTTP/1.1）");
                evidence.Add(T(
                    $"no proxy_http_version in the location, its server or http; the default is 1.0 before nginx {NginxVersion.HttpVersionDefaultIs11} (judged as {version.Named}: {version.SourceText})",
                    $"location、所在的 server 和 http 中都没有 proxy_http_version；nginx {NginxVersion.HttpVersionDefaultIs11} 之前默认是 1.0。判断依据：{version.Named}（{version.SourceText}）"));
            }
            else
            {
                at = set;
                message = T($"proxy_http_version {set.Arg(0)}: nginx cannot pass an upgrade over HTTP/{set.Arg(0)}", $"proxy_http_version {set.Arg(0)}：nginx 无法通过 HTTP/{set.Arg(0)} 传递升级请求");
                evidence.Add(T($"{set.Text} at {set.Location} applies to {location.Title}", $"{set.Text}（{set.Location}）作用于 {location.Title}"));
            }

            yield return NginxLintContext.At(Codes.NginxHttpVersion, at, message, evidence, Verbatim(fix.ToString()),
                data: new Dictionary<string, object?> { ["location"] = location.Title, ["httpVersion"] = set?.Arg(0), ["nginxVersion"] = version.Display });
        }
    }
}
