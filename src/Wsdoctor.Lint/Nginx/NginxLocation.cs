namespace Wsdoctor.Lint.Nginx;

/// <summary>A <c>location</c> block: its match type and pattern (ngx_http_core_location), its scope, its nested
/// locations.</summary>
public sealed class NginxLocation
{
    public NginxLocation(NginxScope scope, IReadOnlyList<NginxLocation> nested)
    {
        Scope = scope;
        Nested = nested;
        var directive = scope.Owner!;
        (Modifier, Pattern) = directive.ArgCount switch
        {
            >= 2 => (directive.Arg(0), directive.Arg(1)),
            1 when directive.Arg(0).StartsWith('=') && directive.Arg(0).Length > 1 => ("=", directive.Arg(0)[1..]),
            1 when directive.Arg(0).StartsWith('@') => ("@", directive.Arg(0)),
            1 when directive.Arg(0).StartsWith("~*", StringComparison.Ordinal) && directive.Arg(0).Length > 2 => ("~*", directive.Arg(0)[2..]),
            1 when directive.Arg(0).StartsWith("^~", StringComparison.Ordinal) && directive.Arg(0).Length > 2 => ("^~", directive.Arg(0)[2..]),
            1 when directive.Arg(0).StartsWith('~') && directive.Arg(0).Length > 1 => ("~", directive.Arg(0)[1..]),
            1 => ("", directive.Arg(0)),
            _ => ("", ""),
        };
    }

    public NginxScope Scope { get; }

    public NginxDirective Directive => Scope.Owner!;

    /// <summary>"" (prefix), "=", "^~", "~", "~*" or "@" (named).</summary>
    public string Modifier { get; }

    public string Pattern { get; }

    public IReadOnlyList<NginxLocation> Nested { get; }

    public bool IsRegex => Modifier is "~" or "~*";

    public bool IsExact => Modifier == "=";

    public bool IsNamed => Modifier == "@";

    /// <summary>Prefix and exact locations live in nginx's static location tree.</summary>
    public bool IsStatic => Modifier is "" or "=" or "^~";

    public NginxDirective? ProxyPass => Scope.Own("proxy_pass").LastOrDefault();

    /// <summary>nginx answers a request for the path without the trailing slash with 301 when a static location ends
    /// in "/" and passes requests on (proxy_pass sets clcf->auto_redirect; so do fastcgi_pass, uwsgi_pass, scgi_pass,
    /// memcached_pass and grpc_pass).</summary>
    public bool AutoRedirects =>
        IsStatic && Pattern.Length > 1 && Pattern.EndsWith('/')
        && Scope.Directives.Any(d => d.Name is "proxy_pass" or "fastcgi_pass" or "uwsgi_pass" or "scgi_pass" or "memcached_pass" or "grpc_pass");

    public string Title => Directive.Text.TrimEnd('{').TrimEnd();
}
