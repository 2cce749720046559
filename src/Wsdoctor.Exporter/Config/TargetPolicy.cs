namespace Wsdoctor.Exporter.Config;

/// <summary>Which targets /probe may be aimed at. Whoever can reach the exporter chooses the target, so the exporter is
/// a client that others steer (server-side request forgery): with an allowlist, only targets that match one of its
/// patterns are probed; without one, any target is probed by modules that send no credential (blackbox_exporter's
/// behaviour, what a scrape config across many hosts needs), but a module that sends a token, cookie or client
/// certificate refuses every target, since handing a credential to any host named in a URL would give it away.</summary>
public sealed class TargetPolicy(IReadOnlyList<TargetPattern> allow)
{
    public IReadOnlyList<TargetPattern> Allow { get; } = allow;

    /// <returns>Null when the probe may run, else why not (one line, for the 403 answer).</returns>
    public string? Refusal(Uri target, Module module)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(module);
        if (Allow.Count > 0)
        {
            return Allow.Any(p => p.Matches(target))
                ? null
                : $"target {target.Scheme}://{target.Authority} is not in the exporter's allowlist (--allow-target / allow_targets: {string.Join(", ", Allow.Select(p => p.Text))})";
        }

        return module.CarriesCredentials
            ? $"module {module.Name} sends a credential, so it only probes targets listed with --allow-target or allow_targets: (none are)"
            : null;
    }
}
