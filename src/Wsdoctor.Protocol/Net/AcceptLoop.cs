using System.Net.Sockets;

namespace Wsdoctor.Protocol.Net;

/// <summary>The accept loop of wsdoctor's small socket servers (the lab's raw servers and relays, conform's harness):
/// each accepted socket gets its own handler task, and the tasks still running are kept so that stopping can wait for
/// them. Ends when <paramref name="stop"/> is cancelled or the listener is closed.</summary>
public sealed class AcceptLoop
{
    private readonly List<Task> running = [];

    public AcceptLoop(TcpListener listener, Func<Socket, Task> handle, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(handle);
        Task = Task.Run(() => RunAsync(listener, handle, stop), CancellationToken.None);
    }

    /// <summary>The loop itself: complete once accepting has stopped.</summary>
    public Task Task { get; }

    /// <summary>The handlers that have not finished yet.</summary>
    public Task[] Running()
    {
        lock (running)
        {
            return [.. running];
        }
    }

    private async Task RunAsync(TcpListener listener, Func<Socket, Task> handle, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (running)
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(() => handle(socket), CancellationToken.None));
            }
        }
    }
}
