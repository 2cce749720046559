using System.Diagnostics;
using Xunit;

namespace Wsdoctor.TestPeers;

/// <summary>A third-party peer (nginx, Python websockets...) started for one test and killed after it.
/// In CI (CI=true) a missing peer fails the test; on a developer machine it skips it.</summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process process;

    private PeerProcess(Process process) => this.process = process;

    public static string Require(string path) => Peers.Require(path);

    /// <summary>Starts the program and waits (bounded) for its first stdout line.</summary>
    public static async Task<(PeerProcess Peer, string FirstLine)> StartAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = ChildProcess.StartInfo(file, args);

        var process = Process.Start(info)!;
        var peer = new PeerProcess(process);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            return (peer, line ?? throw new InvalidOperationException($"{file} exited: {await process.StandardError.ReadToEndAsync(cts.Token)}"));
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Starts a program that prints nothing (nginx -g 'daemon off;') and waits until it accepts on the port.</summary>
    public static async Task<PeerProcess> StartListeningAsync(string file, IEnumerable<string> args, int port, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = ChildProcess.StartInfo(file, args, environment);

        var peer = new PeerProcess(Process.Start(info)!);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return peer;
            }
            catch (System.Net.Sockets.SocketException)
            {
                if (peer.process.HasExited)
                {
                    var error = await peer.process.StandardError.ReadToEndAsync();
                    peer.Dispose();
                    throw new InvalidOperationException($"{file} exited: {error}");
                }

                await Task.Delay(50);
            }
        }

        peer.Dispose();
        throw new TimeoutException($"{file} did not listen on {port} within {timeout}");
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }
}
