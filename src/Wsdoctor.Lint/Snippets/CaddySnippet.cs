namespace Wsdoctor.Lint.Snippets;

/// <summary>A complete Caddyfile (https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#streaming):
/// reverse_proxy passes WebSockets through as they are.</summary>
public static class CaddySnippet
{
    public static Snippet Render(SnippetOptions o)
    {
        var (upHost, upPort) = o.UpstreamParts;
        var (listenHost, listenPort) = o.ListenParts;
        var address = (o.Tls ? "https://" : "http://") + o.ServerName + (listenPort == o.DefaultPort ? "" : $":{listenPort}");
        var bind = listenHost is null ? "" : $"\n    bind {listenHost}";
        var tls = o.Tls ? $"\n    # Your own full chain and key; without this line Caddy gets a certificate by itself (ACME).\n    tls {o.FullChain} {o.PrivateKey}" : "";
        var text = $$"""
            # Caddyfile: WebSocket reverse proxy for {{o.ServerName}}{{o.Path}} -> {{o.Upstream}} (wsdoctor snippet caddy).
            # A complete file: caddy validate --config Caddyfile --adapter caddyfile
            {
                # The admin API that caddy reload talks to; the CADDY_ADMIN environment variable moves it.
                admin {$CADDY_ADMIN:localhost:2019}
            }

            {{address}} {{{bind}}{{tls}}
                # WebSockets need nothing more: Caddy forwards the upgrade and has no idle timeout for them
                # (the {{DurationFormat.Format(o.Heartbeat)}} heartbeat is for the intermediaries in front of Caddy).
                reverse_proxy {{o.Path}}* {{Snippets.HostPort(upHost, upPort)}} {
                    # A config reload closes open WebSockets at once. Caddy 2.7+ can keep them this long instead
                    # (Caddy 2.6 refuses the subdirective, so it is left commented):
                    # stream_close_delay 5m
                }
            }

            """;
        return new Snippet("Caddyfile", text, "caddy validate --config Caddyfile --adapter caddyfile");
    }
}
