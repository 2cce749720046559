using Wsdoctor.Findings;

namespace Wsdoctor.Lint;

/// <summary>Something the lint could not judge and says so (a certificate it could not read, a path built from a
/// variable), so that silence is never mistaken for a clean bill of health.</summary>
public sealed record LintNote(SourceLocation Location, Text Message);
