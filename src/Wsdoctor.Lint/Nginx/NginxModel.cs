namespace Wsdoctor.Lint.Nginx;

/// <summary>A <c>server</c> block and its locations (top level; nested ones hang below them).</summary>
public sealed record NginxServer(NginxScope Scope, IReadOnlyList<NginxLocation> Locations)
{
    public IEnumerable<NginxLocation> AllLocations => Flatten(Locations);

    private static IEnumerable<NginxLocation> Flatten(IEnumerable<NginxLocation> locations) =>
        locations.SelectMany(l => Flatten(l.Nested).Prepend(l));
}

/// <summary>The configuration as the rules see it: the main context, the http blocks, their servers and locations.</summary>
public sealed class NginxModel
{
    private NginxModel(NginxConfiguration configuration, NginxScope main, IReadOnlyList<NginxScope> http, IReadOnlyList<NginxServer> servers)
    {
        Configuration = configuration;
        Main = main;
        Http = http;
        Servers = servers;
    }

    public NginxConfiguration Configuration { get; }

    public NginxScope Main { get; }

    public IReadOnlyList<NginxScope> Http { get; }

    public IReadOnlyList<NginxServer> Servers { get; }

    public static NginxModel Build(NginxConfiguration configuration)
    {
        var main = new NginxScope(null, configuration.Directives, null);
        var http = main.Own("http").Where(d => d.IsBlock).Select(main.Child).ToArray();
        var servers = http
            .SelectMany(h => h.Own("server").Where(d => d.IsBlock).Select(h.Child))
            .Select(s => new NginxServer(s, Locations(s)))
            .ToArray();
        return new NginxModel(configuration, main, http, servers);
    }

    /// <summary>Variables defined by <c>map SOURCE $NAME</c> in http, by name without the dollar sign, with the map.</summary>
    public IReadOnlyDictionary<string, NginxDirective> MapVariables() =>
        Http.SelectMany(h => h.Own("map"))
            .Where(m => m.IsBlock && m.ArgCount == 2 && m.Arg(1).StartsWith('$'))
            .GroupBy(m => m.Arg(1)[1..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static IReadOnlyList<NginxLocation> Locations(NginxScope parent) =>
        parent.Own("location")
            .Where(d => d.IsBlock)
            .Select(d =>
            {
                var scope = parent.Child(d);
                return new NginxLocation(scope, Locations(scope));
            })
            .ToArray();
}
