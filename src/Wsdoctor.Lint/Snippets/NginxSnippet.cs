namespace Wsdoctor.Lint.Snippets;

/// <summary>A complete nginx.conf (https://nginx.org/en/docs/http/websocket.html).</summary>
public static class NginxSnippet
{
    public static Snippet Render(SnippetOptions o)
    {
        var (upHost, upPort) = o.UpstreamParts;
        var (listenHost, listenPort) = o.ListenParts;
        var listen = (listenHost is null ? listenPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : Snippets.HostPort(listenHost, listenPort)) + (o.Tls ? " ssl" : "");
        var timeout = DurationFormat.Format(o.TunnelTimeout);
        const string In = "        ";
        var tls = o.Tls
            ? $"\n{In}# The full chain (leaf + intermediates), never cert.pem: clients that do not fetch missing\n"
              + $"{In}# intermediates (Firefox, Node.js, Python, Go, Java, curl) refuse a leaf sent alone.\n"
              + $"{In}ssl_certificate     {o.FullChain};\n"
              + $"{In}ssl_certificate_key {o.PrivateKey};\n"
            : "";
        var text = $$"""
            # nginx.conf: WebSocket reverse proxy for {{o.ServerName}}{{o.Path}} -> {{o.Upstream}} (wsdoctor snippet nginx).
            # A complete file: nginx -t -c /path/to/nginx.conf. In an existing setup, the map block goes in http {}
            # (e.g. /etc/nginx/conf.d/websocket-map.conf) and the server block in conf.d/ or sites-enabled/.

            events {
                worker_connections 1024;
            }

            http {
                # The Connection header for the upstream: "upgrade" when the client asks for an upgrade, "close"
                # otherwise, so plain requests through the same location behave as usual.
                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }

                upstream websocket_app {
                    server {{Snippets.HostPort(upHost, upPort)}};
                }

                server {
                    listen {{listen}};
                    server_name {{o.ServerName}};{{tls}}

                    location {{o.Path}} {
                        proxy_pass http://websocket_app;
                        # nginx tunnels an upgrade only over HTTP/1.1 (the default is 1.0 before nginx 1.29.7).
                        proxy_http_version 1.1;
                        # Upgrade and Connection are hop-by-hop: nginx forwards them only when told to.
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        # The host and address the client used, for the server's Origin check and its logs.
                        # (A location with its own proxy_set_header inherits none from server or http.)
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        # nginx closes the tunnel after this long without data (default 60s); the heartbeat
                        # every {{DurationFormat.Format(o.Heartbeat)}} stays far below it.
                        proxy_read_timeout {{timeout}};
                        proxy_send_timeout {{timeout}};
                    }
                }
            }

            """;
        return new Snippet("nginx.conf", text, "nginx -t -c /path/to/nginx.conf");
    }
}
