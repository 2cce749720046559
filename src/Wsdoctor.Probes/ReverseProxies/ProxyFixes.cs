namespace Wsdoctor.Probes.ReverseProxies;

/// <summary>What each intermediary needs to pass a WebSocket upgrade through, in its own configuration language.</summary>
public static class ProxyFixes
{
    /// <summary>nginx 1.29.7 made HTTP/1.1 the default for proxied requests; Upgrade and Connection still have to be
    /// forwarded by hand, because they are hop-by-hop headers.</summary>
    public static readonly Version NginxHttp11Default = new(1, 29, 7);

    private const string NginxMap = "map $http_upgrade $connection_upgrade { default upgrade; '' close; }   # in http {}";

    public static string ForwardUpgrade(ProxyIdentity? proxy)
    {
        switch (proxy?.Id)
        {
            case "nginx":
                var http11 = proxy.Version is { } v && Version.TryParse(v, out var version) && version >= NginxHttp11Default;
                return "nginx: in the location of the WebSocket path add\n" +
                    (http11 ? "" : "  proxy_http_version 1.1;                 # nginx before 1.29.7 talks HTTP/1.0 to the upstream\n") +
                    "  proxy_set_header Upgrade $http_upgrade;\n" +
                    "  proxy_set_header Connection $connection_upgrade;\n" +
                    "  " + NginxMap + "\n" +
                    "(Kubernetes ingress-nginx does this itself; check that the Service and path are right.) wsdoctor snippet nginx prints a complete block.";
            case "haproxy":
                return "HAProxy forwards upgrades in mode http by itself: remove `option httpclose` / `http-request del-header Upgrade` from the frontend and backend, keep `mode http`, and set `timeout tunnel 1h` in defaults or the backend. wsdoctor snippet haproxy prints a complete config.";
            case "apache":
                return "Apache httpd 2.4.47+: ProxyPass /ws ws://backend:8080/ws upgrade=websocket (mod_proxy + mod_proxy_http: a2enmod proxy proxy_http);\n" +
                    "older: mod_proxy_wstunnel (a2enmod proxy_wstunnel) and ProxyPass /ws ws://backend:8080/ws, or a RewriteRule with [P] to ws:// when the Upgrade header is websocket.\n" +
                    "A 500 with AH01144 (no protocol handler) means the module for ws:// is not loaded.";
            case "caddy":
                return "Caddy's reverse_proxy passes WebSockets without extra settings: check that the path reaches reverse_proxy (handle/route order) and that no header_up removes Connection or Upgrade.";
            case "traefik":
                return "Traefik passes WebSockets without extra settings: the 404 means no router matches this host and path; check the router rule (Host(), PathPrefix()) and the service port.";
            case "envoy":
                return "Envoy/Istio: add `upgrade_configs: [{ upgrade_type: websocket }]` to the HTTP connection manager (or the route) and set the route's `timeout: 0s`; without upgrade_configs Envoy answers the upgrade with 403 and an empty body.";
            case "lighttpd":
                return "lighttpd: in the proxy block add proxy.header = ( \"upgrade\" => \"enable\" ) (mod_proxy, lighttpd 1.4.46+).";
            case "cloudflare":
                return "Cloudflare: enable WebSockets for the zone (Network → WebSockets) and make the origin itself answer the upgrade (check it directly with --connect-to ORIGIN_IP:PORT).";
            case "aws-alb":
                return "AWS ALB supports WebSockets natively: check the target group protocol (HTTP/HTTPS, not gRPC), the listener rule for the path, and that the target itself answers the upgrade.";
            case "aws-cloudfront":
                return "CloudFront passes WebSockets when the behaviour forwards the Sec-WebSocket-* headers to the origin (an origin request policy with all viewer headers) and allows GET; check the origin directly.";
            case "gcp-lb":
                return "Google Cloud load balancers pass WebSockets by default; the backend service timeout is the maximum lifetime of the connection. Check the backend directly.";
            case "azure-appgw":
                return "Azure Application Gateway passes WebSockets by default; check the backend health and that the listener/rule route this path.";
            case "heroku":
                return "Heroku's router passes WebSockets; the dyno itself must answer the upgrade (check the app's logs).";
            default:
                return "Forward the upgrade through every proxy in front of the application:\n" +
                    "  nginx:   proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;\n" +
                    "  Apache:  ProxyPass /ws ws://backend/ws upgrade=websocket\n" +
                    "  HAProxy: mode http, no option httpclose, timeout tunnel 1h\n" +
                    "  Envoy:   upgrade_configs: [{ upgrade_type: websocket }]\n" +
                    "(wsdoctor snippet nginx|haproxy|apache|caddy|traefik|envoy prints a complete configuration.)";
        }
    }
}
