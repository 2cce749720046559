namespace Wsdoctor.Lint.Haproxy;

/// <summary>A frontend, backend or listen section with the defaults section it inherits from: the one named by
/// <c>from</c>, or else the last defaults section above it, named or not (configuration manual, section 4, "Proxies").
/// A defaults section may itself inherit with <c>from</c>.</summary>
public sealed class HaproxyProxy(HaproxySection section, HaproxyProxy? defaults)
{
    public HaproxySection Section { get; } = section;

    public HaproxyProxy? Defaults { get; } = defaults;

    /// <summary>The line that sets a keyword for this proxy: its own last one, else its defaults'.</summary>
    public HaproxyLine? Effective(Func<HaproxyLine, bool> match) =>
        Section.Lines.LastOrDefault(match) ?? Defaults?.Effective(match);

    public HaproxyLine? Timeout(string name) => Effective(l => l.IsTimeout(name));

    /// <summary>The mode line, if any; without one HAProxy works in mode tcp.</summary>
    public HaproxyLine? ModeLine => Effective(l => l.Is("mode"));

    public string Mode => ModeLine?.Arg(0) ?? "tcp";

    /// <summary>Backends named by default_backend and use_backend (static names only; a log-format name is skipped).</summary>
    public IEnumerable<string> Backends => Section.Lines
        .Where(l => (l.Is("default_backend") || l.Is("use_backend")) && l.Words.Count > 1 && !l.Arg(0).Contains('%', StringComparison.Ordinal))
        .Select(l => l.Arg(0));
}
