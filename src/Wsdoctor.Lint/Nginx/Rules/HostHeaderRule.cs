using Wsdoctor.Findings;

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
                $"Host is not forwarded: the upstream sees Host: $proxy_host ({ProxyHost(pass.Arg(0))}), not the host the client asked for",
                [ws.Evidence, $"{pass.Text} at {pass.Location}; no proxy_set_header Host applies to {ws.Location.Title}"],
                HeaderLines.AddTo(ws.Location, HeaderLines.Host).ToString(),
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
