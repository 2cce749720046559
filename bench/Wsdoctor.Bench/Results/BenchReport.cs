using Wsdoctor.Bench.Sampling;
using Wsdoctor.Load.Latency;

namespace Wsdoctor.Bench.Results;

/// <summary>Everything one bench run measured; serialised as is to artifacts/bench/*.json.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedUtc,
    double WallSeconds,
    string Command,
    MachineInfo Machine,
    string LoadAverageBefore,
    string LoadAverageAfter,
    BenchSettings Settings,
    IReadOnlyList<ThroughputRow> Throughput,
    IReadOnlyList<IdleRow> Idle,
    IReadOnlyList<GeneratorRow> Generators);

/// <summary>One load generator against the fixed server: messages counted by the server, CPU of the generator's
/// whole process group over the measured window. Error: why the row has no figures (null when it has).</summary>
public sealed record GeneratorRow(
    string Generator,
    int Connections,
    int MessageBytes,
    double MeasuredSeconds,
    long Messages,
    double MessagesPerSecond,
    double GeneratorCpuMicrosecondsPerMessage,
    double GeneratorCpuPercent,
    double ServerCpuPercent,
    double OtherProcessesCpuPercent,
    int GeneratorProcesses,
    string? Error);

/// <summary>One closed-loop run against one server. CPU figures are over the measured window only; CPU percent is
/// of one core (200% = both cores of a 2-core machine).</summary>
public sealed record ThroughputRow(
    string Server,
    int Connections,
    int MessageBytes,
    int ConnectionsOpened,
    double MeasuredSeconds,
    long Messages,
    double MessagesPerSecond,
    double MegabytesPerSecond,
    LatencySummary LatencyMicroseconds,
    double ServerCpuMicrosecondsPerMessage,
    double ServerCpuPercent,
    double LoadGeneratorCpuPercent,
    double OtherProcessesCpuPercent,
    long VerifiedEchoes,
    long Errors,
    IReadOnlyList<string> ErrorSamples);

/// <summary>Memory of a freshly started, warmed-up server before and after holding idle connections.</summary>
public sealed record IdleRow(
    string Server,
    int Requested,
    int Established,
    long RssBeforeKiB,
    long RssWithIdleKiB,
    long HwmWithIdleKiB,
    double KiBPerConnection,
    long RssAfterCloseKiB,
    int ClosedCleanly,
    int ThreadsBefore,
    int ThreadsWithIdle,
    long? ServerLoggedAccepts,
    long Errors,
    IReadOnlyList<string> ErrorSamples);
