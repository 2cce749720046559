using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Probes.Tcp;

internal enum ConnectOutcome
{
    Connected,
    Refused,
    TimedOut,
    Unreachable,
    Failed,
}

/// <summary>One TCP connect to one address, with its outcome; a refused or silent port is data, not an exception.</summary>
internal sealed record ConnectAttempt(IPEndPoint EndPoint, ConnectOutcome Outcome, double Ms, string Detail, Socket? Socket)
{
    public static async Task<ConnectAttempt> RunAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken deadline)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var start = Stopwatch.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token).ConfigureAwait(false);
            return new ConnectAttempt(endPoint, ConnectOutcome.Connected, Elapsed(start), "connected", socket);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return new ConnectAttempt(endPoint, ConnectOutcome.TimedOut, Elapsed(start),
                $"no answer to SYN within {timeout.TotalSeconds:0.#} s", null);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var outcome = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ConnectOutcome.Refused,
                SocketError.TimedOut => ConnectOutcome.TimedOut,
                SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => ConnectOutcome.Unreachable,
                _ => ConnectOutcome.Failed,
            };
            var detail = outcome switch
            {
                ConnectOutcome.Refused => "refused (RST)",
                ConnectOutcome.TimedOut => "timed out",
                _ => $"{ex.SocketErrorCode}: {ex.Message}",
            };
            return new ConnectAttempt(endPoint, outcome, Elapsed(start), detail, null);
        }
    }

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public string Describe() => $"{Format(EndPoint)} {Detail} ({Ms:0.#} ms)";

    public static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : $"{ep.Address}:{ep.Port}";
}
