using Wsdoctor.Lint;

namespace Wsdoctor.Reports.Sarif;

/// <summary><c>wsdoctor lint nginx|haproxy --format sarif</c>: each finding at its file, line and column. Files under
/// <paramref name="baseDirectory"/> are written relative to it with the <c>SRCROOT</c> base id (what code-scanning
/// uploads expect: paths relative to the repository), others as absolute file:// URIs.</summary>
public static class LintSarifReport
{
    public const string BaseId = "SRCROOT";

    public static string Render(LintReport report, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var root = Path.GetFullPath(baseDirectory);
        var results = report.Findings.Select(f => new SarifResult(
            f.Finding,
            [new { physicalLocation = new { artifactLocation = Artifact(f.Location.File, root), region = Region(f.Location) } }],
            new Dictionary<string, object?> { ["directive"] = f.Directive, ["fixBlock"] = f.FixBlock })).ToArray();
        var baseUri = new Uri(root.EndsWith('/') ? root : root + "/").AbsoluteUri;
        return SarifLog.Render(results, new Dictionary<string, object> { [BaseId] = new { uri = baseUri } });
    }

    private static object Artifact(string file, string root)
    {
        // Standard input has no path; its name stays a relative reference, percent-encoded.
        if (!Path.IsPathRooted(file) && (file.StartsWith('<') || file == "-"))
        {
            return new { uri = Uri.EscapeDataString(file) };
        }

        var full = Path.GetFullPath(file);
        var relative = Path.GetRelativePath(root, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return new { uri = new Uri(full).AbsoluteUri };
        }

        var escaped = string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
        return new { uri = escaped, uriBaseId = BaseId };
    }

    private static object Region(SourceLocation location) => location.Column > 0
        ? new { startLine = Math.Max(1, location.Line), startColumn = location.Column }
        : new { startLine = Math.Max(1, location.Line) };
}
