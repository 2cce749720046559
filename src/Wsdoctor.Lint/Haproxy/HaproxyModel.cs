using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Haproxy;

/// <summary>The proxies of a configuration with their inheritance resolved, and which frontends feed which backend.</summary>
public sealed class HaproxyModel
{
    private readonly ILookup<string, HaproxyProxy> frontendsByBackend;

    private HaproxyModel(IReadOnlyList<HaproxyProxy> defaults, IReadOnlyList<HaproxyProxy> proxies)
    {
        DefaultsSections = defaults;
        Proxies = proxies;

        // Built once: asking every frontend for every backend costs frontends x backends on a large file.
        frontendsByBackend = proxies.Where(p => p.Section.HasFrontend)
            .SelectMany(p => p.Backends.Distinct(StringComparer.Ordinal).Select(name => (Name: name, Frontend: p)))
            .ToLookup(x => x.Name, x => x.Frontend, StringComparer.Ordinal);
    }

    public IReadOnlyList<HaproxyProxy> DefaultsSections { get; }

    public IReadOnlyList<HaproxyProxy> Proxies { get; }

    public static ParseResult<HaproxyModel> Build(HaproxyConfiguration configuration)
    {
        var defaults = new List<HaproxyProxy>();
        var named = new Dictionary<string, HaproxyProxy>(StringComparer.Ordinal);
        var proxies = new List<HaproxyProxy>();
        var frontends = new Dictionary<string, HaproxySection>(StringComparer.Ordinal);
        var backends = new Dictionary<string, HaproxySection>(StringComparer.Ordinal);
        HaproxyProxy? last = null;
        foreach (var section in configuration.Sections)
        {
            if (section.Kind != "defaults" && !section.IsProxy)
            {
                continue;
            }

            // A defaults section without "from" starts afresh ("reset by the next defaults section"); a proxy
            // without "from" takes the last defaults section.
            var parent = section.Kind == "defaults" ? null : last;
            if (section.From is { } from)
            {
                if (!named.TryGetValue(from, out parent))
                {
                    return new ConfigError(section.Header.Location, T($"{section.Title}: defaults section '{from}' not found (it must be named and come before)", $"{section.Title}：找不到 defaults 段 '{from}'（它必须有名字，并且写在这一段之前）"));
                }
            }

            if (section.IsProxy && Duplicate(section, section.HasFrontend ? frontends : null, section.HasBackend ? backends : null) is { } other)
            {
                // haproxy -c: "backend 'app' has the same name as backend 'app' declared at ...", a fatal alert.
                return new ConfigError(section.Header.Location, T(
                    $"{section.Title} has the same name as {other.Title} at {other.Header.Location}: HAProxy refuses two frontends or two backends with one name",
                    $"{section.Title} 与 {other.Header.Location} 的 {other.Title} 同名：HAProxy 不允许两个 frontend（或两个 backend）使用同一个名字"));
            }

            var proxy = new HaproxyProxy(section, parent);
            if (section.Kind == "defaults")
            {
                defaults.Add(proxy);
                last = proxy;
                if (section.Name is { } name)
                {
                    named[name] = proxy;
                }
            }
            else
            {
                proxies.Add(proxy);
            }
        }

        return ParseResult<HaproxyModel>.Success(new HaproxyModel(defaults, proxies));
    }

    /// <summary>The section already declared with this one's name on the same side (a listen is both sides), or null
    /// after recording this one.</summary>
    private static HaproxySection? Duplicate(HaproxySection section, Dictionary<string, HaproxySection>? frontends, Dictionary<string, HaproxySection>? backends)
    {
        if (section.Name is not { } name)
        {
            return null;
        }

        if ((frontends?.GetValueOrDefault(name) ?? backends?.GetValueOrDefault(name)) is { } other)
        {
            return other;
        }

        frontends?.Add(name, section);
        backends?.Add(name, section);
        return null;
    }

    /// <summary>The frontends and listens whose client side feeds a backend (by default_backend/use_backend).</summary>
    public IEnumerable<HaproxyProxy> FrontendsOf(HaproxyProxy backend) =>
        backend.Section.Name is { } name ? frontendsByBackend[name] : [];
}
