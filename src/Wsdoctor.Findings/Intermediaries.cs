namespace Wsdoctor.Findings;

/// <summary>How an intermediary ends a WebSocket it gives up on.</summary>
public enum CutBehaviour
{
    /// <summary>Closes both TCP connections with FIN, sending no WebSocket Close frame (the client sees 1006).</summary>
    Fin,

    /// <summary>Answers the next segment with RST (a stateful box that forgot the flow).</summary>
    Reset,

    /// <summary>Drops packets silently: the next frame gets no answer at all.</summary>
    Silent,
}

/// <summary>One row of the intermediary table: what cuts WebSockets by default, after how long, which setting
/// changes it, and where that is documented.</summary>
/// <param name="Id">Stable key (nginx, haproxy, aws-alb...).</param>
/// <param name="IdleSeconds">Default idle timeout: silence this long ends the connection; null when there is none.</param>
/// <param name="LifetimeSeconds">Default maximum age whatever the traffic; null when there is none.</param>
/// <param name="Directive">The setting that changes it, as it is written in that product's configuration.</param>
/// <param name="Fix">The concrete change, with a value that outlives a heartbeat of 30 s.</param>
/// <param name="Source">Where the default is documented.</param>
public sealed record Intermediary(
    string Id,
    string Name,
    string Kind,
    double? IdleSeconds,
    double? LifetimeSeconds,
    CutBehaviour Cut,
    string Directive,
    string Fix,
    string Source);

/// <summary>The defaults of the intermediaries WebSocket users meet, in one table used by <c>check --idle</c>,
/// <c>explain</c>, <c>lint</c> and the proxy findings.</summary>
public static class Intermediaries
{
    public static readonly IReadOnlyList<Intermediary> All =
    [
        new("nginx", "nginx", "reverse proxy", 60, null, CutBehaviour.Fin,
            "proxy_read_timeout (and proxy_send_timeout), default 60s; traffic in either direction restarts it",
            "proxy_read_timeout 3600s; proxy_send_timeout 3600s; in the WebSocket location, and heartbeats below 30 s",
            "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout"),
        new("ingress-nginx", "Kubernetes ingress-nginx", "ingress controller", 60, null, CutBehaviour.Fin,
            "annotations nginx.ingress.kubernetes.io/proxy-read-timeout and proxy-send-timeout (seconds), default 60",
            "nginx.ingress.kubernetes.io/proxy-read-timeout: \"3600\" and nginx.ingress.kubernetes.io/proxy-send-timeout: \"3600\" on the Ingress",
            "https://kubernetes.github.io/ingress-nginx/user-guide/miscellaneous/#websockets"),
        new("haproxy", "HAProxy", "reverse proxy / load balancer", 50, null, CutBehaviour.Fin,
            "timeout tunnel (in defaults or the backend); without it timeout client / timeout server apply (50s in Debian's stock haproxy.cfg)",
            "timeout tunnel 1h in defaults or the backend (never 0, never in a frontend), and heartbeats below 30 s",
            "https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel"),
        new("apache", "Apache httpd (mod_proxy)", "reverse proxy", 60, null, CutBehaviour.Fin,
            "Timeout (default 60s) bounds the silence on an upgraded tunnel; in Apache 2.4.71 ProxyTimeout and ProxyPass timeout= did not (wsdoctor's tests measured it)",
            "Timeout 3600 in the server or virtual host that proxies the WebSocket, and heartbeats below 30 s",
            "https://httpd.apache.org/docs/2.4/mod/core.html#timeout"),
        new("caddy", "Caddy", "reverse proxy", null, null, CutBehaviour.Fin,
            "reverse_proxy has no idle timeout for WebSockets; stream_timeout (Caddy 2.7+) sets a maximum lifetime, stream_close_delay keeps them over reloads",
            "remove stream_timeout or raise it; stream_close_delay 5m (Caddy 2.7+) keeps WebSockets across config reloads",
            "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy#streaming"),
        new("lighttpd", "lighttpd (mod_proxy)", "reverse proxy", 60, null, CutBehaviour.Fin,
            "server.max-read-idle (default 60s) for connections upgraded through proxy.header = (\"upgrade\" => \"enable\")",
            "server.max-read-idle = 3600 and heartbeats below 30 s",
            "https://redmine.lighttpd.net/projects/lighttpd/wiki/Server_max-read-idleDetails"),
        new("traefik", "Traefik", "reverse proxy", null, null, CutBehaviour.Fin,
            "no idle timeout for upgraded connections by default; entryPoints.*.transport.respondingTimeouts apply to plain HTTP",
            "keep respondingTimeouts.readTimeout at 0 (no limit) for the WebSocket entry point",
            "https://doc.traefik.io/traefik/routing/entrypoints/#respondingtimeouts"),
        new("envoy", "Envoy / Istio", "proxy", 300, null, CutBehaviour.Fin,
            "stream_idle_timeout of the HTTP connection manager (default 5m); the route's timeout must be 0 for upgrades; upgrade_configs needs websocket",
            "stream_idle_timeout: 3600s (or idle_timeout on the route), timeout: 0s on the route, upgrade_configs: [{upgrade_type: websocket}]",
            "https://www.envoyproxy.io/docs/envoy/latest/faq/configuration/timeouts"),
        new("aws-alb", "AWS Application Load Balancer", "cloud load balancer", 60, null, CutBehaviour.Fin,
            "load balancer attribute idle_timeout.timeout_seconds (default 60, up to 4000)",
            "aws elbv2 modify-load-balancer-attributes --attributes Key=idle_timeout.timeout_seconds,Value=3600, and heartbeats below 30 s",
            "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout"),
        new("aws-nlb", "AWS Network Load Balancer", "cloud load balancer (TCP)", 350, null, CutBehaviour.Reset,
            "TCP idle timeout 350s (configurable from 60 to 6000 s on the listener)",
            "heartbeats (WebSocket ping or TCP keepalive) below 350 s, or raise tcp.idle_timeout.seconds",
            "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#connection-idle-timeout"),
        new("aws-nat", "AWS NAT gateway", "NAT", 350, null, CutBehaviour.Reset,
            "fixed idle timeout of 350s; the next packet gets RST",
            "heartbeats below 350 s (WebSocket ping every 30 s, or TCP keepalive)",
            "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html#nat-gateway-troubleshooting-timeout"),
        new("cloudflare", "Cloudflare", "CDN / proxy", 100, null, CutBehaviour.Fin,
            "proxied WebSockets are closed after about 100s without data (not configurable on most plans)",
            "heartbeats below 100 s from either side (a ping every 30 s)",
            "https://developers.cloudflare.com/network/websockets/"),
        new("heroku", "Heroku router", "platform router", 55, null, CutBehaviour.Fin,
            "55s idle window, reset by any byte in either direction",
            "send a heartbeat (ping or message) at least every 30 s",
            "https://devcenter.heroku.com/articles/websockets#timeouts"),
        new("gcp-lb", "Google Cloud HTTP(S) load balancer", "cloud load balancer", null, 30, CutBehaviour.Fin,
            "the backend service timeout (default 30s) is the maximum lifetime of a WebSocket, traffic or not",
            "gcloud compute backend-services update NAME --timeout=86400, and reconnect before it",
            "https://cloud.google.com/load-balancing/docs/https#websocket_support"),
        new("azure-lb", "Azure Load Balancer", "cloud load balancer (TCP)", 240, null, CutBehaviour.Silent,
            "TCP idle timeout 4 min (4 to 100 min), silent unless \"TCP reset on idle\" is enabled",
            "heartbeats below 4 min, or raise the idle timeout and enable TCP reset",
            "https://learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout"),
        new("azure-appgw", "Azure Application Gateway", "cloud load balancer", null, null, CutBehaviour.Fin,
            "WebSockets are supported by default; the backend HTTP setting's request timeout does not apply once upgraded",
            "send heartbeats; check the backend health probe and the listener for the path",
            "https://learn.microsoft.com/azure/application-gateway/application-gateway-websocket"),
    ];

    public static Intermediary? Find(string id) => All.FirstOrDefault(i => i.Id == id);
}
