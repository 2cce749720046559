namespace Wsdoctor.Lint.Snippets;

/// <summary>A complete httpd.conf for Apache 2.4.47+, where mod_proxy_http tunnels the upgrade itself
/// (https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#protoupgrade).</summary>
public static class ApacheSnippet
{
    /// <summary>Debian's module directory (the apache2 package).</summary>
    public const string Modules = "/usr/lib/apache2/modules";

    public static Snippet Render(SnippetOptions o)
    {
        var (upHost, upPort) = o.UpstreamParts;
        var (listenHost, listenPort) = o.ListenParts;
        var listen = listenHost is null ? $"{listenPort}" : Snippets.HostPort(listenHost, listenPort);
        var vhost = listenHost is null ? $"*:{listenPort}" : Snippets.HostPort(listenHost, listenPort);
        var upstream = $"http://{Snippets.HostPort(upHost, upPort)}{o.Path}";
        var seconds = (long)o.TunnelTimeout.TotalSeconds;
        var tlsModules = o.Tls ? $"\nLoadModule socache_shmcb_module {Modules}/mod_socache_shmcb.so\nLoadModule ssl_module {Modules}/mod_ssl.so" : "";
        var tls = o.Tls
            ? $"""

                  SSLEngine on
                  # The full chain (leaf + intermediates), never cert.pem alone.
                  SSLCertificateFile    {o.FullChain}
                  SSLCertificateKeyFile {o.PrivateKey}
              """
            : "";
        var text = $"""
            # httpd.conf: WebSocket reverse proxy for {o.ServerName}{o.Path} -> {o.Upstream} (wsdoctor snippet apache).
            # A complete file for Apache 2.4.47+: apache2 -t -f /path/to/httpd.conf -d SERVER_ROOT
            # (relative paths below are relative to the ServerRoot given with -d). On Debian's own layout instead:
            # a2enmod proxy proxy_http{(o.Tls ? " ssl" : "")}, and the <VirtualHost> block in /etc/apache2/sites-available/.
            ServerName {o.ServerName}
            Listen {listen}
            User www-data
            Group www-data
            PidFile logs/apache2.pid
            ErrorLog logs/error.log

            LoadModule mpm_event_module {Modules}/mod_mpm_event.so
            LoadModule authz_core_module {Modules}/mod_authz_core.so
            LoadModule proxy_module {Modules}/mod_proxy.so
            LoadModule proxy_http_module {Modules}/mod_proxy_http.so{tlsModules}

            <VirtualHost {vhost}>
                ServerName {o.ServerName}{tls}
                # The Host the client used, for the server's Origin check (X-Forwarded-For/-Host are added anyway).
                ProxyPreserveHost On
                # upgrade=websocket: mod_proxy_http switches to a tunnel when the client asks for WebSocket
                # (Apache 2.4.47+). Older Apache needs mod_proxy_wstunnel and ProxyPass {o.Path} ws://{Snippets.HostPort(upHost, upPort)}{o.Path}
                # timeout= is the tunnel's idle limit, far above the {DurationFormat.Format(o.Heartbeat)} heartbeat (the default is Timeout, 60s).
                ProxyPass        {o.Path} {upstream} upgrade=websocket timeout={seconds}
                ProxyPassReverse {o.Path} {upstream}
            </VirtualHost>

            """;
        return new Snippet("httpd.conf", text, "apache2 -t -f /path/to/httpd.conf -d SERVER_ROOT");
    }
}
