using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Lab;

/// <summary>One row of the lab scoreboard. <see cref="FirstRun"/> is set when the scenario failed among the others and
/// was run again alone: the first run's problem, kept whichever way the second run went.</summary>
public sealed record LabResult(LabScenario Scenario, CheckReport? Report, string Found, bool Passed, Text? Problem, double Ms)
{
    public Text? FirstRun { get; init; }

    /// <summary>Judges a report against a scenario: the right headline code, and the key evidence.</summary>
    public static LabResult Judge(LabScenario scenario, LabInstance instance, CheckReport report, double ms)
    {
        var found = report.Verdict == Verdict.Ok ? LabScenario.Healthy : report.Headline?.Code ?? "?";
        Text? problem = null;
        if (scenario.ExpectedCode == LabScenario.Healthy)
        {
            if (report.Verdict != Verdict.Ok)
            {
                var codes = string.Join(", ", report.Findings.Select(f => f.Code));
                problem = T($"expected a clean report, got {report.Verdict}: {codes}", $"预期报告没有任何问题，实际为 {report.Verdict}：{codes}");
            }
        }
        else if (found != scenario.ExpectedCode)
        {
            problem = T($"expected {scenario.ExpectedCode}, found {found}", $"预期 {scenario.ExpectedCode}，实际找到 {found}");
        }
        else if (Catalogue.Get(scenario.ExpectedCode).Severity == Severity.Warning && report.Verdict == Verdict.Fail)
        {
            problem = T($"expected only warnings, but the check failed with {report.RootCause!.Code}", $"预期只有警告，但 check 以 {report.RootCause!.Code} 失败");
        }

        problem ??= instance.VerifyEvidence(report) is { } missing ? T($"{missing}", $"关键证据不符合预期：{missing}") : null;
        return new LabResult(scenario, report, found, problem is null, problem, ms);
    }
}
