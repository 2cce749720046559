using Wsdoctor.Probes;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Client.Opening;

/// <summary>What the opener is told: the connection options <c>check</c> shares, plus connect's own.</summary>
public sealed record OpenOptions
{
    public required CheckOptions Check { get; init; }

    /// <summary>Offer permessage-deflate (RFC 7692).</summary>
    public bool Compress { get; init; }

    /// <summary>Follow 3xx answers to the upgrade request (-L). Browsers never do, so it is off by default.</summary>
    public bool FollowRedirects { get; init; }

    /// <summary>Bound on -L hops, like curl's --max-redirs but small: a WebSocket endpoint rarely moves twice.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>The --ca/--cert/--key material, loaded once by a caller that opens many connections (bench);
    /// null: loaded from the files named in <see cref="Check"/> on each open.</summary>
    public TlsMaterial? Material { get; init; }

    /// <summary>The runtime's own heartbeat: a Ping this often (zero: none, so that connect's pings are its own to
    /// send and show). bench's held connections use it.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.Zero;

    /// <summary>With <see cref="KeepAliveInterval"/>: the connection is aborted when a Ping gets no Pong in this time
    /// (infinite: never).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = Timeout.InfiniteTimeSpan;
}
