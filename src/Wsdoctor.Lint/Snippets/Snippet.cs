namespace Wsdoctor.Lint.Snippets;

/// <summary>A configuration for one proxy, ready to use.</summary>
/// <param name="FileName">What the file is usually called (nginx.conf, haproxy.cfg, Caddyfile...).</param>
/// <param name="Text">The configuration, commented.</param>
/// <param name="Check">The command that makes the program itself check it.</param>
public sealed record Snippet(string FileName, string Text, string Check);

/// <summary>The proxies <c>wsdoctor snippet</c> knows.</summary>
public static class Snippets
{
    public static IReadOnlyList<string> Names { get; } = ["nginx", "haproxy", "apache", "caddy", "traefik", "envoy"];

    public static Snippet? For(string name, SnippetOptions options) => name switch
    {
        "nginx" => NginxSnippet.Render(options),
        "haproxy" => HaproxySnippet.Render(options),
        "apache" => ApacheSnippet.Render(options),
        "caddy" => CaddySnippet.Render(options),
        "traefik" => TraefikSnippet.Render(options),
        "envoy" => EnvoySnippet.Render(options),
        _ => null,
    };

    /// <summary>HOST:PORT for a listen line: IPv6 literals in brackets.</summary>
    public static string HostPort(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
