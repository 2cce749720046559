using Wsdoctor.Client.Opening;

namespace Wsdoctor.Load.Runs;

/// <summary>Everything a run is told. Counts and rates are for the whole test; <see cref="Shard"/> takes this
/// process's part of them (connections I, I+N, ...; the rate in proportion).</summary>
public sealed record LoadPlan
{
    public required OpenOptions Open { get; init; }

    /// <summary>Virtual connections exchanging messages (-c).</summary>
    public int Connections { get; init; } = 10;

    /// <summary>Open loop (--rate): messages per second over all connections, each connection keeping its own
    /// schedule and latency measured from each message's scheduled time (as wrk2 does). Null: closed loop.</summary>
    public double? Rate { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Open the connections evenly over this time (--ramp); zero: as fast as <see cref="ConnectConcurrency"/> allows.</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.Zero;

    /// <summary>New connections per second (--connect-rate), for the initial ones and, with --churn, every reconnect.</summary>
    public double? ConnectRate { get; init; }

    /// <summary>Extra connections opened and held idle with heartbeats (--hold).</summary>
    public int Hold { get; init; }

    /// <summary>The held connections' Ping interval (--heartbeat); a Pong missing for the step timeout ends one.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>--churn: each virtual connection connects, runs <see cref="ChurnExchanges"/> exchanges, closes, and again.</summary>
    public bool Churn { get; init; }

    public int ChurnExchanges { get; init; } = 1;

    public Shard Shard { get; init; } = Shard.Whole;

    /// <summary>Handshakes in flight at once when no rate paces them.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>Bounds each virtual connection by count as well as by time.</summary>
    public long MaxExchangesPerConnection { get; init; } = 1_000_000_000;

    /// <summary>Bounds reopening after errors, per virtual connection.</summary>
    public int MaxReconnectsPerConnection { get; init; } = 100_000;

    /// <summary>The whole run's limit; null: ramp + warm-up + duration + time to close, with margin.</summary>
    public TimeSpan? Deadline { get; init; }

    public TimeSpan StepTimeout => Open.Check.StepTimeout;

    public int LocalConnections => Shard.Share(Connections);

    public int LocalHold => Shard.Share(Hold);

    /// <summary>This shard's part of --rate: the same rate per connection in every shard.</summary>
    public double? LocalRate => Rate is { } rate && Connections > 0 ? rate * LocalConnections / Connections : null;

    /// <summary>This shard's part of the connect rate (--connect-rate, or what --ramp works out to).</summary>
    public double? LocalConnectRate
    {
        get
        {
            var total = ConnectRate ?? (Ramp > TimeSpan.Zero ? (Connections + Hold) / Ramp.TotalSeconds : null);
            return total is { } r && Connections + Hold > 0 ? r * (LocalConnections + LocalHold) / (Connections + Hold) : null;
        }
    }

    public TimeSpan EffectiveDeadline => Deadline
        ?? Ramp + WarmUp + Duration + StepTimeout * 4 + TimeSpan.FromSeconds(10)
           + (LocalConnectRate is { } r ? TimeSpan.FromSeconds((LocalConnections + LocalHold) / r) : TimeSpan.Zero);
}
