using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Scenarios.Running;

/// <summary>Told as each step ends, e.g. by bench to keep a latency histogram per step. Called on the scenario's own
/// task; an implementation shared by many connections must be thread-safe.</summary>
public interface IStepObserver
{
    void StepEnded(string label, string kind, TimeSpan duration, bool passed, StepFailure? failure);
}

public sealed record RunOptions
{
    /// <summary>Print tokens, cookies and Authorization unredacted.</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>The virtual connection's number (<c>{{connection}}</c>), for bench.</summary>
    public int Connection { get; init; }

    public IStepObserver? Observer { get; init; }

    /// <summary>Runs <c>check</c> when the connection cannot be opened or drops; null: no diagnosis (bench).</summary>
    public Func<CheckOptions, CancellationToken, Task<CheckReport>>? Diagnose { get; init; }

    /// <summary>More than this many messages waiting for an expect is a failure, not a growing heap.</summary>
    public int MaxBufferedMessages { get; init; } = 100_000;
}
