using Wsdoctor.Load.Latency;

namespace Wsdoctor.Load.Echo;

/// <summary>What one closed-loop run measured. Only round trips completed inside the measured window count;
/// every echo of the run, warm-up included, was checked byte for byte.</summary>
public sealed record EchoLoadResult
{
    public required int Connections { get; init; }

    public required int ConnectionsOpened { get; init; }

    public required int MessageBytes { get; init; }

    public required double MeasuredSeconds { get; init; }

    public required long Messages { get; init; }

    /// <summary>Round trips completed and verified over the whole run, warm-up included.</summary>
    public required long VerifiedEchoes { get; init; }

    public required LatencySummary LatencyMicroseconds { get; init; }

    public required long Errors { get; init; }

    public required IReadOnlyList<string> ErrorSamples { get; init; }

    public required bool DeadlineExceeded { get; init; }

    public double MessagesPerSecond => MeasuredSeconds > 0 ? Messages / MeasuredSeconds : 0;

    /// <summary>Payload bytes echoed per second in each direction, in MB (10^6 bytes).</summary>
    public double MegabytesPerSecond => MessagesPerSecond * MessageBytes / 1e6;
}
