using Wsdoctor.Findings;

namespace Wsdoctor.Lint;

/// <summary>A finding at a place in a configuration file.</summary>
/// <param name="Finding">Code, severity, message, evidence and the one-line fix (the catalogue's or a specific one).</param>
/// <param name="Location">Where the offending directive (or the block that lacks one) starts.</param>
/// <param name="Directive">That directive as written, for the reader who does not open the file.</param>
/// <param name="FixBlock">The enclosing block with the fix applied, ready to paste (the configuration is the same in
/// every language; only a line of prose around it, such as "and in http {}:", is translated); null when the fix
/// changes nothing in the file (an informational finding).</param>
public sealed record LintFinding(Finding Finding, SourceLocation Location, string Directive, Text? FixBlock)
{
    /// <summary>A finding with the catalogue's fix unless a specific one is given; the location also goes into
    /// <c>data</c> (file, line, column) for JSON users.</summary>
    public static LintFinding Create(
        string code,
        SourceLocation location,
        string directive,
        Text message,
        IEnumerable<Text> evidence,
        Text? fixBlock,
        IReadOnlyDictionary<string, object?> data,
        Text? fix = null,
        Severity? severity = null)
    {
        var fields = new Dictionary<string, object?>(data)
        {
            ["file"] = location.File,
            ["line"] = location.Line,
            ["column"] = location.Column,
        };
        return new LintFinding(Finding.Create(code, message, evidence, fix, fields, severity), location, directive, fixBlock);
    }
}
