using System.CommandLine;
using Wsdoctor.Lint.Snippets;
using static Wsdoctor.Cli.HelpLanguage;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Cli.Snippet;

/// <summary><c>wsdoctor snippet nginx|haproxy|apache|caddy|traefik|envoy</c>: a complete, commented configuration
/// for proxying WebSockets, printed on stdout.</summary>
public static class SnippetCommand
{
    public static Command Create()
    {
        var defaults = SnippetOptions.Default;
        var proxy = new Argument<string>("proxy") { Description = H($"One of {string.Join(", ", Snippets.Names)}", $"以下之一：{string.Join(", ", Snippets.Names)}") };
        var upstream = new Option<string>("--upstream") { Description = H($"The WebSocket server behind the proxy, HOST:PORT (default {defaults.Upstream})", $"代理后面的 WebSocket 服务端，HOST:PORT（默认 {defaults.Upstream}）"), DefaultValueFactory = _ => defaults.Upstream };
        var path = new Option<string>("--path") { Description = H($"The path clients open (default {defaults.Path})", $"客户端打开的路径（默认 {defaults.Path}）"), DefaultValueFactory = _ => defaults.Path };
        var tls = new Option<bool>("--tls") { Description = H("Terminate TLS at the proxy (wss://) with fullchain.pem and privkey.pem", "在代理上用 fullchain.pem 和 privkey.pem 终止 TLS（wss://）") };
        var heartbeat = new Option<string>("--heartbeat") { Description = H("The application's heartbeat interval (default 30s); idle timeouts are set well above it", "应用的心跳间隔（默认 30s）；空闲超时会设得比它长得多"), DefaultValueFactory = _ => "30s" };
        var serverName = new Option<string>("--server-name") { Description = H($"The host name clients use (default {defaults.ServerName})", $"客户端使用的主机名（默认 {defaults.ServerName}）"), DefaultValueFactory = _ => defaults.ServerName };
        var listen = new Option<string?>("--listen") { Description = H("Where the proxy listens, HOST:PORT (default: all addresses, port 80, or 443 with --tls)", "代理的监听地址，HOST:PORT（默认：所有地址，端口 80；加 --tls 时为 443）") };
        var certDir = new Option<string?>("--cert-dir") { Description = H("Directory with fullchain.pem and privkey.pem (default /etc/letsencrypt/live/NAME)", "存放 fullchain.pem 和 privkey.pem 的目录（默认 /etc/letsencrypt/live/NAME）") };
        var command = new Command("snippet", H("Print a correct, commented proxy configuration for WebSockets", "打印一份正确、带注释的 WebSocket 代理配置")) { proxy, upstream, path, tls, heartbeat, serverName, listen, certDir };
        command.SetAction(result =>
        {
            var name = result.GetValue(proxy)!.Trim().ToLowerInvariant();
            if (!Snippets.Names.Contains(name))
            {
                throw new UsageException(T($"unknown proxy '{name}'; snippets: {string.Join(", ", Snippets.Names)}", $"未知的代理“{name}”；可用的配置片段：{string.Join(", ", Snippets.Names)}"));
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
