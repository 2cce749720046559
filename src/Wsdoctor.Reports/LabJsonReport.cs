using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Reports;

/// <summary><c>wsdoctor lab --json</c>: the scoreboard with each scenario's check report.</summary>
public static class LabJsonReport
{
    /// <summary>One scenario as it ran (the lab's result, without a dependency on the lab). <paramref name="FirstRun"/>:
    /// the problem of a first run among the other scenarios, when the scenario was run again alone.</summary>
    public sealed record Entry(string Name, string Description, string Expected, string Found, bool Passed, string? Problem, double Ms, CheckReport? Report, string? FirstRun = null);

    public static string Render(IReadOnlyList<Entry> entries, double seconds)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return ReportJson.Serialize(new LabDocument(
            1,
            entries.Count(e => e.Passed),
            entries.Count(e => !e.Passed),
            Math.Round(seconds, 2),
            [.. entries.Select(e => new LabScenarioDocument(e.Name, e.Description, e.Expected, e.Found, e.Passed, e.Problem, e.FirstRun, Math.Round(e.Ms),
                e.Report is null ? null : JsonReport.ToDocument(e.Report)))]));
    }

    public sealed record LabDocument(int SchemaVersion, int Passed, int Failed, double Seconds, IReadOnlyList<LabScenarioDocument> Scenarios);

    public sealed record LabScenarioDocument(
        string Name,
        string Description,
        string Expected,
        string Found,
        bool Passed,
        string? Problem,
        string? FirstRun,
        double Ms,
        JsonReport.CheckDocument? Report);
}
