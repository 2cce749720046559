namespace Wsdoctor.Load.Idle;

public sealed record IdleLoadOptions
{
    public int Connections { get; init; } = 1000;

    /// <summary>Handshakes in flight at once while opening.</summary>
    public int ConnectConcurrency { get; init; } = 32;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Per connection, when closing them all at the end.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The limit for opening all of them.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(2);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Connections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ConnectConcurrency);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloseTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Deadline, TimeSpan.Zero);
    }
}
