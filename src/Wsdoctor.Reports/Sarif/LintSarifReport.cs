using System.Text.Json.Nodes;
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
            [new JsonObject { ["physicalLocation"] = new JsonObject { ["artifactLocation"] = Artifact(f.Location.File, root), ["region"] = Region(f.Location) } }],
            new Dictionary<string, JsonNode?> { ["directive"] = f.Directive, ["fixBlock"] = f.FixBlock?.En })).ToArray();
        var baseUri = new Uri(root.EndsWith('/') ? root : root + "/").AbsoluteUri;
        return SarifLog.Render(results, new JsonObject { [BaseId] = new JsonObject { ["uri"] = baseUri } });
    }

    private static JsonObject Artifact(string file, string root)
    {
        // Standard input has no path; its name stays a relative reference, percent-encoded.
        if (!Path.IsPathRooted(file) && (file.StartsWith('<') || file == "-"))
        {
            return new JsonObject { ["uri"] = Uri.EscapeDataString(file) };
        }

        var full = Path.GetFullPath(file);
        var relative = Path.GetRelativePath(root, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return new JsonObject { ["uri"] = new Uri(full).AbsoluteUri };
        }

        var escaped = string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
        return new JsonObject { ["uri"] = escaped, ["uriBaseId"] = BaseId };
    }

    private static JsonObject Region(SourceLocation location) => location.Column > 0
        ? new JsonObject { ["startLine"] = Math.Max(1, location.Line), ["startColumn"] = location.Column }
        : new JsonObject { ["startLine"] = Math.Max(1, location.Line) };
}
