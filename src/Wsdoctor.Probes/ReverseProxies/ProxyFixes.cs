using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Probes.ReverseProxies;

/// <summary>What each intermediary needs to pass a WebSocket upgrade through, in its own configuration language.</summary>
public static class ProxyFixes
{
    /// <summary>nginx 1.29.7 made HTTP/1.1 the default for proxied requests; Upgrade and Connection still have to be
    /// forwarded by hand, because they are hop-by-hop headers.</summary>
    public static readonly Version NginxHttp11Default = new(1, 29, 7);

    private const string NginxMap = "map $http_upgrade $connection_upgrade { default upgrade; '' close; }";

    public static Text ForwardUpgrade(ProxyIdentity? proxy)
    {
        switch (proxy?.Id)
        {
            case "nginx":
                var http11 = proxy.Version is { } v && Version.TryParse(v, out var version) && version >= NginxHttp11Default;
                return T("nginx: in the location of the WebSocket path add\n", "nginx：在 WebSocket 路径所在的 location 中加上\n") +
                    (http11 ? Empty : Verbatim("  proxy_http_version 1.1;                 ") + T("# nginx before 1.29.7 talks HTTP/1.0 to the upstream\n", "# nginx 1.29.7 之前默认用 HTTP/1.0 连接上游\n")) +
                    Verbatim("  proxy_set_header Upgrade $http_upgrade;\n" +
                        "  proxy_set_header Connection $connection_upgrade;\n" +
                        "  " + NginxMap + "   ") + T("# in http {}\n", "# 放在 http {} 中\n") +
                    T("(Kubernetes ingress-nginx does this itself; check that the Service and path are right.) wsdoctor snippet nginx prints a complete block.",
                        "（Kubernetes 的 ingress-nginx 会自动处理这些；请检查 Service 和路径是否正确。）wsdoctor snippet nginx 可以输出完整的配置块。");
            case "haproxy":
                return T("HAProxy forwards upgrades in mode http by itself: remove `option httpclose` / `http-request del-header Upgrade` from the frontend and backend, keep `mode http`, and set `timeout tunnel 1h` in defaults or the backend. wsdoctor snippet haproxy prints a complete config.",
                    "HAProxy 在 mode http 下会自行转发升级：从 frontend 和 backend 中删掉 `option httpclose` / `http-request del-header Upgrade`，保留 `mode http`，并在 defaults 或 backend 中设置 `timeout tunnel 1h`。wsdoctor snippet haproxy 可以输出完整配置。");
            case "apache":
                return T("Apache httpd 2.4.47+: ", "Apache httpd 2.4.47+：") + Verbatim("ProxyPass /ws ws://backend:8080/ws upgrade=websocket") +
                    T(" (mod_proxy + mod_proxy_http: a2enmod proxy proxy_http);\n", "（mod_proxy + mod_proxy_http：a2enmod proxy proxy_http）；\n") +
                    T("older: mod_proxy_wstunnel (a2enmod proxy_wstunnel) and ProxyPass /ws ws://backend:8080/ws, or a RewriteRule with [P] to ws:// when the Upgrade header is websocket.\n",
                        "更早的版本：用 mod_proxy_wstunnel（a2enmod proxy_wstunnel）加 ProxyPass /ws ws://backend:8080/ws，或者在 Upgrade 头为 websocket 时用带 [P] 的 RewriteRule 转到 ws://。\n") +
                    T("A 500 with AH01144 (no protocol handler) means the module for ws:// is not loaded.",
                        "500 加 AH01144（没有协议处理器）表示处理 ws:// 的模块没有加载。");
            case "caddy":
                return T("Caddy's reverse_proxy passes WebSockets without extra settings: check that the path reaches reverse_proxy (handle/route order) and that no header_up removes Connection or Upgrade.",
                    "Caddy 的 reverse_proxy 无需额外设置即可转发 WebSocket：检查该路径确实到达了 reverse_proxy（handle/route 的顺序），并且没有 header_up 删掉 Connection 或 Upgrade。");
            case "traefik":
                return T("Traefik passes WebSockets without extra settings: the 404 means no router matches this host and path; check the router rule (Host(), PathPrefix()) and the service port.",
                    "Traefik 无需额外设置即可转发 WebSocket：404 表示没有路由匹配这个主机和路径；检查路由规则（Host()、PathPrefix()）和服务端口。");
            case "envoy":
                return T("Envoy/Istio: add `upgrade_configs: [{ upgrade_type: websocket }]` to the HTTP connection manager (or the route) and set the route's `timeout: 0s`; without upgrade_configs Envoy answers the upgrade with 403 and an empty body.",
                    "Envoy/Istio：在 HTTP connection manager（或路由）中加上 `upgrade_configs: [{ upgrade_type: websocket }]`，并把路由的超时设为 `timeout: 0s`；没有 upgrade_configs 时，Envoy 会用 403 和空响应体应答升级请求。");
            case "lighttpd":
                return T("lighttpd: in the proxy block add proxy.header = ( \"upgrade\" => \"enable\" ) (mod_proxy, lighttpd 1.4.46+).",
                    "lighttpd：在 proxy 配置块中加上 proxy.header = ( \"upgrade\" => \"enable\" )（mod_proxy，lighttpd 1.4.46+）。");
            case "cloudflare":
                return T("Cloudflare: enable WebSockets for the zone (Network → WebSockets) and make the origin itself answer the upgrade (check it directly with --connect-to ORIGIN_IP:PORT).",
                    "Cloudflare：为该 zone 启用 WebSockets（Network → WebSockets），并确保源站本身能应答升级（用 --connect-to ORIGIN_IP:PORT 直接检查源站）。");
            case "aws-alb":
                return T("AWS ALB supports WebSockets natively: check the target group protocol (HTTP/HTTPS, not gRPC), the listener rule for the path, and that the target itself answers the upgrade.",
                    "AWS ALB 原生支持 WebSocket：检查目标组协议（HTTP/HTTPS，不是 gRPC）、该路径的监听器规则，以及目标本身能否应答升级。");
            case "aws-cloudfront":
                return T("CloudFront passes WebSockets when the behaviour forwards the Sec-WebSocket-* headers to the origin (an origin request policy with all viewer headers) and allows GET; check the origin directly.",
                    "CloudFront 要转发 WebSocket，behavior 需要把 Sec-WebSocket-* 请求头转发给源站（使用包含所有查看器请求头的源请求策略），并允许 GET；也请直接检查源站。");
            case "gcp-lb":
                return T("Google Cloud load balancers pass WebSockets by default; the backend service timeout is the maximum lifetime of the connection. Check the backend directly.",
                    "Google Cloud 负载均衡器默认转发 WebSocket；后端服务的超时（backend service timeout）就是连接的最长存活时间。请直接检查后端。");
            case "azure-appgw":
                return T("Azure Application Gateway passes WebSockets by default; check the backend health and that the listener/rule route this path.",
                    "Azure Application Gateway 默认转发 WebSocket；检查后端健康状态，以及监听器/规则是否路由了这个路径。");
            case "heroku":
                return T("Heroku's router passes WebSockets; the dyno itself must answer the upgrade (check the app's logs).",
                    "Heroku 的路由器会转发 WebSocket；必须由 dyno 自己应答升级（查看应用日志）。");
            default:
                return T("Forward the upgrade through every proxy in front of the application:\n", "让应用前面的每一层代理都转发升级请求：\n") +
                    Verbatim("  nginx:   proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;\n" +
                        "  Apache:  ProxyPass /ws ws://backend/ws upgrade=websocket\n") +
                    Verbatim("  HAProxy: mode http, ") + T("no option httpclose", "不要 option httpclose") + Verbatim(", timeout tunnel 1h\n") +
                    Verbatim("  Envoy:   upgrade_configs: [{ upgrade_type: websocket }]\n") +
                    T("(wsdoctor snippet nginx|haproxy|apache|caddy|traefik|envoy prints a complete configuration.)",
                        "（wsdoctor snippet nginx|haproxy|apache|caddy|traefik|envoy 可以输出完整配置。）");
        }
    }
}
