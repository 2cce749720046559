namespace Wsdoctor.Lint.Haproxy;

/// <summary>A section of haproxy.cfg: <c>global</c>, <c>defaults [NAME] [from DEFAULTS]</c>,
/// <c>frontend NAME [from DEFAULTS]</c>, <c>backend ...</c>, <c>listen ...</c>, or another kind the lint keeps but does
/// not judge (peers, resolvers, userlist, ...).</summary>
public sealed record HaproxySection(string Kind, string? Name, string? From, HaproxyLine Header, IReadOnlyList<HaproxyLine> Lines)
{
    public bool IsProxy => Kind is "frontend" or "backend" or "listen";

    /// <summary>Sections that have a backend side, where timeout tunnel and timeout server apply.</summary>
    public bool HasBackend => Kind is "backend" or "listen";

    /// <summary>Sections that have a frontend side, where timeout client applies.</summary>
    public bool HasFrontend => Kind is "frontend" or "listen";

    public string Title => Name is null ? Kind : $"{Kind} {Name}";
}
