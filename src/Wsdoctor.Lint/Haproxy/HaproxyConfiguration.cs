namespace Wsdoctor.Lint.Haproxy;

/// <summary>haproxy.cfg as sections, in file order.</summary>
public sealed record HaproxyConfiguration(string File, IReadOnlyList<HaproxySection> Sections);
