namespace Wsdoctor.Client.Session;

public sealed record SessionOptions
{
    /// <summary>Send a ping of our own this often (null: never).</summary>
    public TimeSpan? PingInterval { get; init; }

    /// <summary>Give up on the connection when a ping of ours gets no pong within this time.</summary>
    public TimeSpan? PingTimeout { get; init; }

    /// <summary>How long to wait for the server's Close after sending ours (RFC 6455 7.1.1 lets us then drop TCP).</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message we assemble; a bigger one is answered with 1009 (Message Too Big).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
