namespace Wsdoctor.Lint.Snippets;

/// <summary>A complete haproxy.cfg (configuration manual 2.6, "timeout tunnel"; HTX mode handles the upgrade).</summary>
public static class HaproxySnippet
{
    public static Snippet Render(SnippetOptions o)
    {
        var (upHost, upPort) = o.UpstreamParts;
        var (listenHost, listenPort) = o.ListenParts;
        var bind = (listenHost is null ? $":{listenPort}" : Snippets.HostPort(listenHost, listenPort))
                   + (o.Tls ? $" ssl crt {o.CertificateDirectoryOrDefault.TrimEnd('/')}/haproxy.pem" : "");
        var tlsNote = o.Tls
            ? $"\n    # haproxy.pem is the full chain followed by the key: cat fullchain.pem privkey.pem > haproxy.pem"
            : "";
        var text = $"""
            # haproxy.cfg: WebSocket load balancing for {o.ServerName}{o.Path} -> {o.Upstream} (wsdoctor snippet haproxy).
            # A complete file: haproxy -c -f /path/to/haproxy.cfg

            defaults
                # mode http: HAProxy sees the upgrade, routes by path and switches the connection to a tunnel.
                # (In mode tcp it only passes bytes.)
                mode http
                timeout connect 5s
                # Until the upgrade: the HTTP request and response.
                timeout client  1m
                timeout server  1m
                # After the upgrade timeout tunnel replaces both; without it the WebSocket is cut after 1m of
                # silence. Keep it far above the {DurationFormat.Format(o.Heartbeat)} heartbeat (and never 0: 0 means "not set").
                timeout tunnel  {DurationFormat.Format(o.TunnelTimeout)}

            frontend websocket{tlsNote}
                bind {bind}
                acl is_websocket path_beg {o.Path}
                use_backend websocket_app if is_websocket
                default_backend websocket_app

            backend websocket_app
                server app1 {Snippets.HostPort(upHost, upPort)}

            """;
        return new Snippet("haproxy.cfg", text, "haproxy -c -f /path/to/haproxy.cfg");
    }
}
