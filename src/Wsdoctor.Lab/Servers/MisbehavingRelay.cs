using System.Net;
using System.Net.Sockets;
using Wsdoctor.Protocol.Net;

namespace Wsdoctor.Lab.Servers;

/// <summary>What the relay does to a connection.</summary>
public enum RelayFault
{
    /// <summary>Ends every connection with FIN on both sides after a fixed age, traffic or not (a maximum lifetime,
    /// like a cloud load balancer's backend timeout).</summary>
    Lifetime,

    /// <summary>Ends a connection with FIN on both sides once it was silent for the threshold (an idle timeout, like a
    /// reverse proxy's).</summary>
    IdleFin,

    /// <summary>Forgets a flow that stayed silent for the threshold; the next segment from the client is answered with
    /// RST, and nothing reached the client before it (a NAT gateway or L4 load balancer).</summary>
    ForgetThenReset,

    /// <summary>Forgets a silent flow and from then on drops whatever the client sends, answering nothing.</summary>
    ForgetThenDrop,
}

/// <summary>A loopback TCP relay in front of a real server that plays a stateful box in the path (for the lab and the
/// tests). Bounded: every connection ends by itself within <see cref="MaxConnectionAge"/>.</summary>
public sealed class MisbehavingRelay : IAsyncDisposable
{
    public static readonly TimeSpan MaxConnectionAge = TimeSpan.FromMinutes(2);

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint upstream;
    private readonly RelayFault fault;
    private readonly TimeSpan threshold;
    private readonly CancellationTokenSource stop = new();
    private readonly AcceptLoop accepting;

    public MisbehavingRelay(IPEndPoint upstream, RelayFault fault, TimeSpan threshold)
    {
        this.upstream = upstream;
        this.fault = fault;
        this.threshold = threshold;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = new AcceptLoop(listener, RelayAsync, stop.Token);
    }

    public int Port { get; }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var life = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        life.CancelAfter(MaxConnectionAge);
        try
        {
            await server.ConnectAsync(upstream, life.Token).ConfigureAwait(false);
            var lastActivity = Environment.TickCount64;
            var forgotten = false;
            var gate = new object();
            bool Forgotten()
            {
                lock (gate)
                {
                    forgotten |= fault is RelayFault.ForgetThenReset or RelayFault.ForgetThenDrop && Environment.TickCount64 - lastActivity > threshold.TotalMilliseconds;
                    return forgotten;
                }
            }

            void Touch()
            {
                lock (gate)
                {
                    lastActivity = Environment.TickCount64;
                }
            }

            async Task PumpAsync(Socket from, Socket to, bool fromClient)
            {
                var buffer = new byte[16 * 1024];
                while (true)
                {
                    var n = await from.ReceiveAsync(buffer, SocketFlags.None, life.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    if (Forgotten())
                    {
                        if (fromClient && fault == RelayFault.ForgetThenReset)
                        {
                            // The box no longer knows the flow: RST the client, and the server never hears of it.
                            client.LingerState = new LingerOption(true, 0);
                            client.Close();
                            server.Close();
                            return;
                        }

                        continue;
                    }

                    Touch();
                    await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, life.Token).ConfigureAwait(false);
                }
            }

            var pumps = Task.WhenAll(PumpAsync(client, server, true), PumpAsync(server, client, false));
            if (fault == RelayFault.Lifetime)
            {
                var finished = await Task.WhenAny(pumps, Task.Delay(threshold, life.Token)).ConfigureAwait(false);
                if (finished != pumps)
                {
                    client.Shutdown(SocketShutdown.Both);
                    server.Shutdown(SocketShutdown.Both);
                }
            }
            else if (fault == RelayFault.IdleFin)
            {
                while (!pumps.IsCompleted)
                {
                    await Task.WhenAny(pumps, Task.Delay(50, life.Token)).ConfigureAwait(false);
                    bool idle;
                    lock (gate)
                    {
                        idle = Environment.TickCount64 - lastActivity > threshold.TotalMilliseconds;
                    }

                    if (idle)
                    {
                        client.Shutdown(SocketShutdown.Both);
                        server.Shutdown(SocketShutdown.Both);
                        break;
                    }
                }
            }

            await pumps.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection is over, one way or another.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await accepting.Task.ConfigureAwait(false);
        await Task.WhenAll(accepting.Running()).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        stop.Dispose();
    }
}
