namespace Wsdoctor.TestPeers;

/// <summary>A real reverse proxy from Debian (nginx, HAProxy, Apache httpd, lighttpd, Caddy) started in the
/// foreground on a free loopback port with a configuration written by the test, in a directory of its own.</summary>
public sealed class ProxyPeer : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly PeerProcess process;

    private ProxyPeer(PeerProcess process, string directory, int port)
    {
        this.process = process;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary><paramref name="http"/> is the body of nginx's http {} block; PORT in it is replaced by the port.</summary>
    public static Task<ProxyPeer> NginxAsync(string http) => StartAsync("nginx", "/usr/sbin/nginx", (dir, port) => ("nginx.conf", $$"""
        daemon off;
        master_process off;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path {{dir}}/tmp;
            proxy_temp_path {{dir}}/tmp;
            {{http.Replace("PORT", port)}}
        }
        """), (dir, conf) => ["-p", dir, "-c", conf]);

    /// <summary><paramref name="config"/> is a whole haproxy.cfg; PORT is replaced.</summary>
    public static Task<ProxyPeer> HaproxyAsync(string config) =>
        StartAsync("haproxy", "/usr/sbin/haproxy", (_, port) => ("haproxy.cfg", config.Replace("PORT", port)), (_, conf) => ["-db", "-f", conf]);

    /// <summary><paramref name="directives"/> follow a minimal httpd.conf that loads mod_proxy, mod_proxy_http and
    /// mod_proxy_wstunnel from Debian's module directory; PORT is replaced.</summary>
    public static Task<ProxyPeer> ApacheAsync(string directives, bool proxyHttp = true, bool wstunnel = true) => StartAsync("apache2", "/usr/sbin/apache2", (dir, port) => ("httpd.conf", $"""
        ServerRoot "{dir}"
        ServerName localhost
        Listen 127.0.0.1:{port}
        PidFile {dir}/httpd.pid
        ErrorLog {dir}/error.log
        LogLevel warn
        LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
        LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
        LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
        {(proxyHttp ? "LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so" : "")}
        {(wstunnel ? "LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so" : "")}
        {directives.Replace("PORT", port)}
        """), (dir, conf) => ["-X", "-f", conf, "-d", dir]);

    /// <summary><paramref name="directives"/> follow the server settings of a minimal lighttpd.conf with mod_proxy.</summary>
    public static Task<ProxyPeer> LighttpdAsync(string directives) => StartAsync("lighttpd", "/usr/sbin/lighttpd", (dir, port) => ("lighttpd.conf", $"""
        server.document-root = "{dir}"
        server.bind = "127.0.0.1"
        server.port = {port}
        server.errorlog = "{dir}/error.log"
        server.modules = ( "mod_proxy" )
        {directives}
        """), (_, conf) => ["-D", "-f", conf]);

    /// <summary><paramref name="site"/> is the body of the site block http://127.0.0.1:PORT { ... }.</summary>
    public static Task<ProxyPeer> CaddyAsync(string site) => StartAsync("caddy", "/usr/bin/caddy", (_, port) => ("Caddyfile", $$"""
        {
            admin off
            auto_https off
        }
        http://127.0.0.1:{{port}} {
            {{site}}
        }
        """), (_, conf) => ["run", "--config", conf, "--adapter", "caddyfile"]);

    private static async Task<ProxyPeer> StartAsync(string name, string program, Func<string, string, (string File, string Text)> config, Func<string, string, string[]> arguments)
    {
        Peers.Require(program);
        var dir = System.IO.Directory.CreateTempSubdirectory($"wsdoctor-{name}-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        var port = Peers.FreePort();
        var (file, text) = config(dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = Path.Combine(dir, file);
        // HAProxy refuses a last line without its line feed.
        await File.WriteAllTextAsync(path, text + "\n");
        // Caddy keeps its state under $HOME/.local/share and $XDG_CONFIG_HOME: the test's own directory.
        var process = await PeerProcess.StartListeningAsync(program, arguments(dir, path), port, StartLimit,
            new Dictionary<string, string> { ["HOME"] = dir, ["XDG_DATA_HOME"] = dir, ["XDG_CONFIG_HOME"] = dir });
        return new ProxyPeer(process, dir, port);
    }

    public void Dispose()
    {
        process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still open for a moment; the temp directory is cleaned up by the system.
        }
    }
}
