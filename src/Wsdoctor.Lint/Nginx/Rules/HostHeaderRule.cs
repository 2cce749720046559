using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Nginx.Rules;

/// <summary>nginx.host-header: without proxy_set_header Host, nginx sends the proxy_pass host ($proxy_host), so an
/// upstream that compares Origin with Host (ASP.NET Core, Socket.IO, Django Channels' AllowedHostsOriginValidator)
/// refuses the upgrade with 403.</summary>
public sealed class HostHeaderRule : INginxRule
{
    public IEnumerable<LintFinding> Check(NginxLintContext context)
    {
        foreach (var ws in context.WebSockets)
        {
            if (ws.Location.Scope.EffectiveHeaders().ContainsKey("Host"))
            {
                continue;
            }

            var pass = ws.Location.ProxyPass!;
            yield return NginxLintContext.At(Codes.NginxHostHeader, ws.Location.Directive,
                T(
                    $"Host is not forwarded: the upstream sees Host: $proxy_host ({ProxyHost(pass.Arg(0))}), not the host the client asked for",
                    $"没有转发 Host：上游看到的是 Host: $proxy_host（{ProxyHost(pass.Arg(0))}），而不是客户端请求的主机名"),
                [ws.Evidence, T($"{pass.Text} at {pass.Location}; no proxy_set_header Host applies to {ws.Location.Title}", $"{pass.Text}（{pass.Location}）；{ws.Location.Title} 没有生效的 proxy_set_header Host")],
                Verbatim(HeaderLines.AddTo(ws.Location, HeaderLines.Host).ToString()),
                data: new Dictionary<string, object?> { ["location"] = ws.Location.Title, ["proxyHost"] = ProxyHost(pass.Arg(0)) });
        }
    }

    private static string ProxyHost(string target)
    {
        var rest = target.Contains("://", StringComparison.Ordinal) ? target[(target.IndexOf("://", StringComparison.Ordinal) + 3)..] : target;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? rest : rest[..slash];
    }
}
