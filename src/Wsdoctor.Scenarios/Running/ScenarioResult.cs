using Wsdoctor.Client.Opening;
using Wsdoctor.Findings;
using Wsdoctor.Probes.Diagnosis;
using Wsdoctor.Scenarios.Model;
using ConnectionFacts = Wsdoctor.Client.Opening.ConnectionFacts;

namespace Wsdoctor.Scenarios.Running;

public enum StepStatus
{
    Passed,
    Failed,

    /// <summary>Not run: an earlier step failed.</summary>
    NotRun,
}

/// <summary>Why a step failed, in the words the report prints.</summary>
public enum FailureKind
{
    /// <summary>A message arrived that does not match.</summary>
    Mismatch,

    /// <summary>Nothing (matching) arrived in time.</summary>
    Timeout,

    /// <summary>The server closed the connection with a Close frame.</summary>
    ClosedByServer,

    /// <summary>The connection was lost without a Close frame (1006).</summary>
    Dropped,

    /// <summary>The connection could not be opened.</summary>
    OpenFailed,

    /// <summary>The open succeeded, or failed differently, where a refusal was expected.</summary>
    RejectMismatch,

    /// <summary>A template or capture could not be evaluated.</summary>
    Variable,

    /// <summary>The run was cancelled (Ctrl-C, or a deadline of the caller).</summary>
    Cancelled,
}

/// <summary>What went wrong in a step: the expectation, what arrived, and line by line how they differ.</summary>
public sealed record StepFailure(FailureKind Kind, Text Message)
{
    public Text? Expected { get; init; }
    public Text? Actual { get; init; }
    public IReadOnlyList<Text> Differences { get; init; } = [];

    /// <summary>Messages an <c>ignore-others</c> expect skipped, newest last (at most a few).</summary>
    public IReadOnlyList<Text> Skipped { get; init; } = [];

    /// <summary>For a close or a drop: the explanation lines of the close code.</summary>
    public IReadOnlyList<Text> CloseLines { get; init; } = [];

    /// <summary>The server's close code when it closed the connection.</summary>
    public int? CloseCode { get; init; }

    /// <summary>The HTTP status that refused the upgrade.</summary>
    public int? HttpStatus { get; init; }
}

/// <summary>One step as it ran. <see cref="Depth"/> nests the steps of repeat, loop and call under them (their last
/// or failing iteration).</summary>
public sealed record StepResult(string Label, string Kind, SourceMark Mark, int Depth, TimeSpan Start, TimeSpan Duration, StepStatus Status)
{
    /// <summary>What happened, when it is worth a line: the message that matched, the iterations run...</summary>
    public Text? Detail { get; init; }

    public StepFailure? Failure { get; init; }
}

/// <summary>A scenario as it ran: passed when every step passed.</summary>
public sealed record ScenarioResult(string Name, string File, SourceMark Mark, TimeSpan Duration, IReadOnlyList<StepResult> Steps)
{
    public bool Passed => Steps.Count > 0 && Steps.All(s => s.Status != StepStatus.Failed) && Failure is null;

    /// <summary>The first failing step, when there is one.</summary>
    public StepResult? FailedStep => Steps.FirstOrDefault(s => s.Status == StepStatus.Failed);

    public StepFailure? Failure => FailedStep?.Failure;

    /// <summary>How the connection was opened (null when it was not).</summary>
    public ConnectionFacts? Connection { get; init; }

    /// <summary>For a transport failure (the open failed, the connection dropped): <c>check</c>'s diagnosis with the
    /// same options, when the caller asked for one.</summary>
    public CheckReport? Diagnosis { get; init; }

    /// <summary>The URL as reports may show it (secrets redacted unless asked otherwise).</summary>
    public required string Url { get; init; }
}
