using Wsdoctor.Probes;

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
}
