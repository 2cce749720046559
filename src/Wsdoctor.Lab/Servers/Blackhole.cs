using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Lab.Servers;

/// <summary>A loopback port that never completes a TCP handshake, without firewall rules: a listener with a
/// zero backlog whose accept queue is kept full, so Linux drops further SYNs — what a client behind a
/// dropping firewall sees (connect timeout, not refusal).</summary>
public sealed class Blackhole : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly List<Socket> fillers = [];

    private Blackhole(Socket listener)
    {
        this.listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public static async Task<Blackhole> StartAsync(CancellationToken ct)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var hole = new Blackhole(listener);
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, hole.Port), cts.Token).ConfigureAwait(false);
                hole.fillers.Add(filler);
            }
            catch (OperationCanceledException)
            {
                // The queue is full: this SYN was dropped, which is the state we want.
                filler.Dispose();
                return hole;
            }
        }

        throw new InvalidOperationException("the kernel kept accepting connections; cannot build a blackhole port here");
    }

    public ValueTask DisposeAsync()
    {
        foreach (var filler in fillers)
        {
            filler.Dispose();
        }

        listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
