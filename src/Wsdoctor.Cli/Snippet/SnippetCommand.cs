using System.CommandLine;
using Wsdoctor.Lint.Snippets;

namespace Wsdoctor.Cli.Snippet;

/// <summary><c>wsdoctor snippet nginx|haproxy|apache|caddy|traefik|envoy</c>: a complete, commented configuration
/// for proxying WebSockets, printed on stdout.</summary>
public static class SnippetCommand
{
    public static Command Create()
    {
        var defaults = SnippetOptions.Default;
        var proxy = new Argument<string>("proxy") { Description = $"One of {string.Join(", ", Snippets.Names)}" };
        var upstream = new Option<string>("--upstream") { Description = $"The WebSocket server behind the proxy, HOST:PORT (default {defaults.Upstream})", DefaultValueFactory = _ => defaults.Upstream };
        var path = new Option<string>("--path") { Description = $"The path clients open (default {defaults.Path})", DefaultValueFactory = _ => defaults.Path };
        var tls = new Option<bool>("--tls") { Description = "Terminate TLS at the proxy (wss://) with fullchain.pem and privkey.pem" };
        var heartbeat = new Option<string>("--heartbeat") { Description = "The application's heartbeat interval (default 30s); idle timeouts are set well above it", DefaultValueFactory = _ => "30s" };
        var serverName = new Option<string>("--server-name") { Description = $"The host name clients use (default {defaults.ServerName})", DefaultValueFactory = _ => defaults.ServerName };
        var listen = new Option<string?>("--listen") { Description = "Where the proxy listens, HOST:PORT (default: all addresses, port 80, or 443 with --tls)" };
        var certDir = new Option<string?>("--cert-dir") { Description = "Directory with fullchain.pem and privkey.pem (default /etc/letsencrypt/live/NAME)" };
        var command = new Command("snippet", "Print a correct, commented proxy configuration for WebSockets") { proxy, upstream, path, tls, heartbeat, serverName, listen, certDir };
        command.SetAction(result =>
        {
            var name = result.GetValue(proxy)!.Trim().ToLowerInvariant();
            if (!Snippets.Names.Contains(name))
            {
                throw new UsageException($"unknown proxy '{name}'; snippets: {string.Join(", ", Snippets.Names)}");
            }

            var options = new SnippetOptions(
                result.GetValue(upstream)!,
                result.GetValue(path)!,
                result.GetValue(tls),
                DurationText.Parse(result.GetValue(heartbeat)!, "--heartbeat"),
                result.GetValue(serverName)!,
                result.GetValue(listen),
                result.GetValue(certDir));
            if (options.Problem() is { } problem)
            {
                throw new UsageException(problem);
            }

            Console.Out.Write(Snippets.For(name, options)!.Text);
            return ExitCodes.Ok;
        });
        return command;
    }
}
