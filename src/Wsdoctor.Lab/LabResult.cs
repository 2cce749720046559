using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Lab;

/// <summary>One row of the lab scoreboard. <see cref="FirstRun"/> is set when the scenario failed among the others and
/// was run again alone: the first run's problem, kept whichever way the second run went.</summary>
public sealed record LabResult(LabScenario Scenario, CheckReport? Report, string Found, bool Passed, string? Problem, double Ms)
{
    public string? FirstRun { get; init; }

    /// <summary>Judges a report against a scenario: the right headline code, and the key evidence.</summary>
    public static LabResult Judge(LabScenario scenario, LabInstance instance, CheckReport report, double ms)
    {
        var found = report.Verdict == Verdict.Ok ? LabScenario.Healthy : report.Headline?.Code ?? "?";
        string? problem = null;
        if (scenario.ExpectedCode == LabScenario.Healthy)
        {
            if (report.Verdict != Verdict.Ok)
            {
                problem = $"expected a clean report, got {report.Verdict}: {string.Join(", ", report.Findings.Select(f => f.Code))}";
            }
        }
        else if (found != scenario.ExpectedCode)
        {
            problem = $"expected {scenario.ExpectedCode}, found {found}";
        }
        else if (Catalogue.Get(scenario.ExpectedCode).Severity == Severity.Warning && report.Verdict == Verdict.Fail)
        {
            problem = $"expected only warnings, but the check failed with {report.RootCause!.Code}";
        }

        problem ??= instance.VerifyEvidence(report);
        return new LabResult(scenario, report, found, problem is null, problem, ms);
    }
}
