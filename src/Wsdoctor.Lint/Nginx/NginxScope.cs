namespace Wsdoctor.Lint.Nginx;

/// <summary>One level of the http context chain (http, server, location, nested location), and how nginx merges
/// a directive from the levels above it.</summary>
public sealed class NginxScope
{
    public NginxScope(NginxDirective? owner, IReadOnlyList<NginxDirective> directives, NginxScope? parent)
    {
        Owner = owner;
        Directives = directives;
        Parent = parent;
    }

    /// <summary>The block directive (<c>http {</c>, <c>server {</c>, <c>location /ws {</c>); null for the main context.</summary>
    public NginxDirective? Owner { get; }

    public IReadOnlyList<NginxDirective> Directives { get; }

    public NginxScope? Parent { get; }

    public string Kind => Owner?.Name ?? "main";

    /// <summary>This level's own directives of that name (not those of nested blocks).</summary>
    public IEnumerable<NginxDirective> Own(string name) => Directives.Where(d => d.Is(name));

    /// <summary>A directive that takes one value (<c>proxy_http_version</c>, <c>proxy_read_timeout</c>): the innermost
    /// level that sets it wins, the last line of that level if it is repeated. The http module's directives are
    /// looked up from here to <c>http {</c>: the main context above it cannot hold them (nginx refuses such a
    /// file with "directive is not allowed here"), so a line there is never inherited.</summary>
    public NginxDirective? Effective(string name)
    {
        for (var scope = this; scope is { Owner: not null }; scope = scope.Parent)
        {
            if (scope.Own(name).LastOrDefault() is { } directive)
            {
                return directive;
            }
        }

        return null;
    }

    /// <summary>An array directive such as <c>proxy_set_header</c> or <c>add_header</c>: a level inherits the lines of
    /// the level above only if it has none of its own (ngx_http_proxy_merge_loc_conf: <c>if (conf->headers_source ==
    /// NULL) conf->headers = prev->headers</c>). Returns the level whose lines apply (never the main context, as for
    /// <see cref="Effective"/>), or null when no level has any.</summary>
    public NginxScope? ArraySource(string name)
    {
        for (var scope = this; scope is { Owner: not null }; scope = scope.Parent)
        {
            if (scope.Own(name).Any())
            {
                return scope;
            }
        }

        return null;
    }

    /// <summary>The <c>proxy_set_header</c> lines that apply here, by header name (case-insensitive, as HTTP).</summary>
    public IReadOnlyDictionary<string, NginxDirective> EffectiveHeaders()
    {
        var headers = new Dictionary<string, NginxDirective>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in ArraySource("proxy_set_header")?.Own("proxy_set_header") ?? [])
        {
            if (line.ArgCount >= 2)
            {
                headers[line.Arg(0)] = line;
            }
        }

        return headers;
    }

    /// <summary>The nearest enclosing level of a kind (the server of a location).</summary>
    public NginxScope? Enclosing(string kind)
    {
        for (var scope = Parent; scope is not null; scope = scope.Parent)
        {
            if (scope.Kind == kind)
            {
                return scope;
            }
        }

        return null;
    }

    public NginxScope Child(NginxDirective block) => new(block, block.Block ?? [], this);
}
