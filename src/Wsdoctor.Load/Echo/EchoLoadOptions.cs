namespace Wsdoctor.Load.Echo;

/// <summary>A closed-loop echo run: <see cref="Connections"/> connections, each sending one binary message of
/// <see cref="MessageBytes"/> and waiting for its echo before sending the next.</summary>
public sealed record EchoLoadOptions
{
    public int Connections { get; init; } = 1;

    public int MessageBytes { get; init; } = 32;

    /// <summary>Runs the loop unmeasured first: JIT, connection buffers and TCP windows settle here.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection whose send or echo takes longer than this is aborted and counted as an error.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int ConnectConcurrency { get; init; } = 32;

    /// <summary>Upper bound on round trips per connection, so the loop is bounded by count as well as by time.</summary>
    public long MaxMessagesPerConnection { get; init; } = 1_000_000_000;

    /// <summary>Called on the coordinating thread at each phase change, e.g. to sample the server's CPU time
    /// exactly at the edges of the measured window.</summary>
    public Action<LoadPhase>? PhaseChanged { get; init; }

    /// <summary>The whole run's limit: connecting, warm-up, measuring and closing.</summary>
    public TimeSpan Deadline => ConnectTimeout * 2 + WarmUp + Duration + StepTimeout * 2 + TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Connections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MessageBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(WarmUp, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StepTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ConnectConcurrency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMessagesPerConnection);
    }
}
