namespace Wsdoctor.Lint.Snippets;

/// <summary>Traefik v3: the static configuration (entry point, file provider) and the dynamic one (router, service)
/// as two YAML documents. Traefik forwards WebSockets by itself; the entry point's readTimeout (60s by default since
/// v3) must not cut them (https://doc.traefik.io/traefik/routing/entrypoints/#respondingtimeouts).</summary>
public static class TraefikSnippet
{
    public static Snippet Render(SnippetOptions o)
    {
        var (upHost, upPort) = o.UpstreamParts;
        var (listenHost, listenPort) = o.ListenParts;
        var address = listenHost is null ? $":{listenPort}" : Snippets.HostPort(listenHost, listenPort);
        var routerTls = o.Tls ? "\n      tls: {}" : "";
        var certificates = o.Tls
            ? $"""

              tls:
                certificates:
                  # The full chain (leaf + intermediates), never cert.pem alone.
                  - certFile: {o.FullChain}
                    keyFile: {o.PrivateKey}
              """
            : "";
        var text = $"""
            # Traefik v3: WebSocket reverse proxy for {o.ServerName}{o.Path} -> {o.Upstream} (wsdoctor snippet traefik).
            # Two files: /etc/traefik/traefik.yml (static) and /etc/traefik/dynamic.yml (dynamic), separated by ---.
            # traefik.yml
            entryPoints:
              websocket:
                address: "{address}"
                transport:
                  respondingTimeouts:
                    # 0s: no limit. Since v3 the default readTimeout is 60s, which can end long-lived
                    # connections; the {DurationFormat.Format(o.Heartbeat)} heartbeat does not reset it.
                    readTimeout: 0s
                    idleTimeout: {DurationFormat.Format(o.TunnelTimeout)}
            providers:
              file:
                filename: /etc/traefik/dynamic.yml
            ---
            # dynamic.yml: Traefik forwards the upgrade by itself, no WebSocket setting is needed.
            http:
              routers:
                websocket:
                  entryPoints: [websocket]
                  rule: "Host(`{o.ServerName}`) && PathPrefix(`{o.Path}`)"
                  service: websocket-app{routerTls}
              services:
                websocket-app:
                  loadBalancer:
                    # The client's Host goes to the server (for its Origin check).
                    passHostHeader: true
                    servers:
                      - url: "http://{Snippets.HostPort(upHost, upPort)}"{certificates}

            """;
        return new Snippet("traefik.yml + dynamic.yml", text, "not checked by wsdoctor's tests: traefik is not installed here (structure checked only)");
    }
}
