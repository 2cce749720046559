namespace Wsdoctor.Server.Sessions;

/// <summary>The per-connection bounds.</summary>
/// <param name="MaxMessageSize">Larger messages close the connection with 1009.</param>
/// <param name="SendQueue">Outgoing messages waiting at most.</param>
/// <param name="CloseTimeout">How long a close handshake may take before the socket is cut.</param>
/// <param name="AuthTimeout">--auth-first-message: how long the first message may take.</param>
/// <param name="Heartbeat">The framework pings and aborts peers that miss the pong.</param>
public sealed record SessionLimits(long MaxMessageSize, int SendQueue, TimeSpan CloseTimeout, TimeSpan AuthTimeout, bool Heartbeat);
