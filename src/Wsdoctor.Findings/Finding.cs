namespace Wsdoctor.Findings;

/// <summary>One thing the diagnosis observed. A misbehaving server is a finding, never an exception;
/// a finding always carries the evidence that proves it and the fix. Every text is a <see cref="Text"/>, in
/// English and Chinese; JSON and the other machine-readable reports use the English.</summary>
/// <param name="Code">Stable catalogue code, e.g. <c>tls.name-mismatch</c>.</param>
/// <param name="Message">One line: what is wrong, in the terms of this target.</param>
/// <param name="Evidence">What was seen, one observation per line.</param>
/// <param name="Fix">What to do, concretely.</param>
/// <param name="Data">Machine-readable key evidence (SAN list, accepted origins, skew seconds, close code...).</param>
public sealed record Finding(
    string Code,
    Layer Layer,
    Severity Severity,
    Text Message,
    IReadOnlyList<Text> Evidence,
    Text Fix,
    IReadOnlyDictionary<string, object?> Data)
{
    public static Finding Create(
        string code,
        Text message,
        IEnumerable<Text> evidence,
        Text? fix = null,
        IReadOnlyDictionary<string, object?>? data = null,
        Severity? severity = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(evidence);
        var entry = Catalogue.Get(code);
        var lines = evidence.Where(l => !string.IsNullOrWhiteSpace(l.En)).ToArray();
        if (lines.Length == 0)
        {
            throw new ArgumentException($"finding {code} needs evidence", nameof(evidence));
        }

        return new Finding(
            code,
            entry.Layer,
            severity ?? entry.Severity,
            message,
            lines,
            fix ?? Localized.FixText(entry),
            data ?? new Dictionary<string, object?>());
    }
}
