using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using static Wsdoctor.Findings.Text;

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
internal sealed record ConnectAttempt(IPEndPoint EndPoint, ConnectOutcome Outcome, double Ms, Text Detail, Socket? Socket)
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
            return new ConnectAttempt(endPoint, ConnectOutcome.Connected, Elapsed(start), T("connected", "已连接"), socket);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return new ConnectAttempt(endPoint, ConnectOutcome.TimedOut, Elapsed(start),
                T($"no answer to SYN within {timeout.TotalSeconds:0.#} s", $"在 {timeout.TotalSeconds:0.#} s 内没有回应 SYN"), null);
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
                ConnectOutcome.Refused => T("refused (RST)", "被拒绝（RST）"),
                ConnectOutcome.TimedOut => T("timed out", "超时"),
                _ => Verbatim($"{ex.SocketErrorCode}: {ex.Message}"),
            };
            return new ConnectAttempt(endPoint, outcome, Elapsed(start), detail, null);
        }
    }

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    public Text Describe() => T($"{Format(EndPoint)} {Detail} ({Ms:0.#} ms)", $"{Format(EndPoint)} {Detail}（{Ms:0.#} ms）");

    public static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : $"{ep.Address}:{ep.Port}";
}
