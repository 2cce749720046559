using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Cli.Tests.Check;

/// <summary>A loopback TCP server that accepts and never answers, holding each connection until the client closes
/// it, and counts how many were open at once: every check against it waits out its own --timeout.</summary>
public sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int open;
    private int maxOpen;

    public SilentServer()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int MaxOpen => Volatile.Read(ref maxOpen);

    private async Task AcceptAsync()
    {
        var holders = new List<Task>();
        try
        {
            // Bounded: a test opens a handful of connections.
            while (holders.Count < 1000)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                var now = Interlocked.Increment(ref open);
                int seen;
                while ((seen = Volatile.Read(ref maxOpen)) < now && Interlocked.CompareExchange(ref maxOpen, now, seen) != seen)
                {
                }

                holders.Add(HoldAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(holders);
    }

    private async Task HoldAsync(TcpClient client)
    {
        using (client)
        {
            var buffer = new byte[4096];
            try
            {
                var stream = client.GetStream();
                while (await stream.ReadAsync(buffer, stop.Token) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
            }
        }

        Interlocked.Decrement(ref open);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
