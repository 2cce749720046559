using Wsdoctor.Client.Opening;
using Wsdoctor.Probes;
using Wsdoctor.Probes.Diagnosis;

namespace Wsdoctor.Watch.Engine;

/// <summary>What <c>wsdoctor watch URL</c> is told.</summary>
public sealed record WatchOptions
{
    public required OpenOptions Open { get; init; }

    /// <summary>--for: how long to watch; null: until cancelled (Ctrl-C).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>--ping-interval: a WebSocket ping this often; null: none, so that an idle timeout shows itself.</summary>
    public TimeSpan? PingInterval { get; init; }

    /// <summary>--ping-timeout: a ping without its pong this long is a drop (session.no-pong).</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>--send: an application message sent every <see cref="SendEvery"/> (a heartbeat of the application).</summary>
    public string? Send { get; init; }

    public TimeSpan? SendEvery { get; init; }

    /// <summary>Backoff of the reconnects: full jitter between zero and base * 2^(n-1), at most <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop after this many drops (null: never); the watch is otherwise bounded by <see cref="Duration"/> or Ctrl-C.</summary>
    public int? MaxDrops { get; init; }

    /// <summary>Runs check when the endpoint could not be opened at the end of the watch (null: no diagnosis).</summary>
    public Func<CheckOptions, CancellationToken, Task<CheckReport>>? Diagnose { get; init; }

    /// <summary>Keep at most this many drops and reconnects in memory for the summary (the counts stay exact).</summary>
    public int MaxRecorded { get; init; } = 10_000;

    public Random Random { get; init; } = Random.Shared;
}
