namespace Wsdoctor.Lint.Nginx;

/// <summary>What <c>wsdoctor lint nginx</c> was told.</summary>
/// <param name="WsPaths">Request paths clients open WebSockets on (<c>--ws-path</c>); empty: the heuristic decides.</param>
/// <param name="Heartbeat">The application's heartbeat interval (<c>--heartbeat</c>), if known.</param>
/// <param name="Version">The nginx version to judge against.</param>
/// <param name="Certificates">Where the certificates named by ssl_certificate are read (the disk, also for a dump).</param>
public sealed record NginxLintOptions(
    IReadOnlyList<string> WsPaths,
    TimeSpan? Heartbeat,
    NginxVersion Version,
    IConfigFiles Certificates)
{
    public static NginxLintOptions Default { get; } = new([], null, NginxVersion.Oldest, DiskConfigFiles.Instance);
}
