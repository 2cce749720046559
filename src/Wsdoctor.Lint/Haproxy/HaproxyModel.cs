using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lint.Haproxy;

/// <summary>The proxies of a configuration with their inheritance resolved, and which frontends feed which backend.</summary>
public sealed class HaproxyModel
{
    private HaproxyModel(IReadOnlyList<HaproxyProxy> defaults, IReadOnlyList<HaproxyProxy> proxies)
    {
        DefaultsSections = defaults;
        Proxies = proxies;
    }

    public IReadOnlyList<HaproxyProxy> DefaultsSections { get; }

    public IReadOnlyList<HaproxyProxy> Proxies { get; }

    public static ParseResult<HaproxyModel> Build(HaproxyConfiguration configuration)
    {
        var defaults = new List<HaproxyProxy>();
        var named = new Dictionary<string, HaproxyProxy>(StringComparer.Ordinal);
        var proxies = new List<HaproxyProxy>();
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

    /// <summary>The frontends and listens whose client side feeds a backend (by default_backend/use_backend).</summary>
    public IEnumerable<HaproxyProxy> FrontendsOf(HaproxyProxy backend) =>
        Proxies.Where(p => p.Section.HasFrontend && p.Backends.Contains(backend.Section.Name));
}
