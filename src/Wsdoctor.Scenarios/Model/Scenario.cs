namespace Wsdoctor.Scenarios.Model;

/// <summary>One conversation: open the target, run the steps in order, and (unless a step closed it) close
/// normally. With <see cref="ExpectReject"/> the open itself is the test: it must be refused.</summary>
public sealed record Scenario(string Name, SourceMark Mark, TargetSpec Target, IReadOnlyDictionary<string, string> Vars, IReadOnlyList<Step> Steps)
{
    public RejectExpectation? ExpectReject { get; init; }
}

/// <summary><c>expect-reject:</c> the server must refuse the upgrade (with this HTTP status when given).</summary>
public sealed record RejectExpectation(SourceMark Mark, int? Status);

/// <summary>A parsed file: its scenarios and the named flows they call.</summary>
public sealed record ScenarioFile(string Path, IReadOnlyList<Scenario> Scenarios, IReadOnlyDictionary<string, Flow> Flows);

/// <summary>A named list of steps under <c>flows:</c>, run by <c>call:</c>.</summary>
public sealed record Flow(string Name, SourceMark Mark, IReadOnlyList<Step> Steps);
