using System.Net.WebSockets;
using Wsdoctor.Load.Errors;

namespace Wsdoctor.Load.Runs;

/// <summary>What one virtual connection does with its open WebSocket, one exchange at a time: the echo driver
/// sends a message and waits for its reply; a scenario driver (wsdoctor test FILE) would run its send/expect
/// steps. The engine owns everything around it: opening and reopening, pacing (closed or open loop), warm-up,
/// timeouts, the latency of the whole exchange from its intended start, and classifying exceptions.</summary>
public interface IConnectionDriver
{
    /// <summary>Steps of one exchange whose latencies are kept apart (each gets its histogram, and the report
    /// prints them when there is more than one). Empty: the exchange is one step, its latency is the run's.</summary>
    IReadOnlyList<string> StepNames { get; }

    /// <summary>One line for the report, e.g. "echo, binary 32 B".</summary>
    string Description { get; }

    /// <summary>The state of one virtual connection (buffers, its message generator), created once and reused
    /// across reconnects.</summary>
    IConversation Start(int connectionIndex);
}

/// <summary>One virtual connection's side of the conversation.</summary>
public interface IConversation
{
    /// <summary>Runs one exchange on <paramref name="socket"/>. Returns null when it completed, or the error that
    /// makes the engine drop this connection (a wrong reply, the server's Close). WebSocket and I/O exceptions,
    /// and cancellation when the engine aborts a stalled exchange, are left to the engine to classify.</summary>
    ValueTask<LoadError?> ExchangeAsync(WebSocket socket, ExchangeContext context, CancellationToken ct);
}
