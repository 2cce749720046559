using System.Net;
using System.Net.Sockets;
using Wsdoctor.Load.Connections;
using Wsdoctor.Load.Echo;

namespace Wsdoctor.Load.Tests;

/// <summary>The benchmark's raw TCP reference loop (tcp:// targets): the payload bytes alone, echoed by a plain
/// TCP server written here (optionally flipping one byte after a given count), still verified byte for byte.</summary>
public class RawTcpEchoTests
{
    private static EchoLoadOptions Short(int connections, int size) => EchoLoadTests.Short(connections, size);

    [Theory]
    [InlineData(1, 32)]
    [InlineData(3, 4096)]
    public async Task RunAsync_RawTcpEcho_VerifiesEveryEcho(int connections, int size)
    {
        using var server = new RawEchoServer(flipAfterBytes: null);

        var result = await EchoLoad.RunAsync(server.Target, Short(connections, size), CancellationToken.None);

        Assert.Equal(0, result.Errors);
        Assert.Equal(connections, result.ConnectionsOpened);
        Assert.True(result.Messages > 0, "no round trip completed in the measured window");
        Assert.True(result.VerifiedEchoes >= result.Messages);
        // Nothing but the payloads crossed: no handshake, no frame headers. (The server counts after its send
        // returns, which may be just after the client verified the echo: wait for it, bounded.)
        for (var i = 0; i < 100 && server.EchoedBytes < result.VerifiedEchoes * size; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(result.VerifiedEchoes * size, server.EchoedBytes);
    }

    [Fact]
    public async Task RunAsync_RawTcpServerCorruptsAByte_ReportsTheMismatch()
    {
        // Byte 10 of the 5th 32-byte message.
        using var server = new RawEchoServer(flipAfterBytes: (4 * 32) + 10);

        var result = await EchoLoad.RunAsync(server.Target, Short(1, 32), CancellationToken.None);

        Assert.Equal(1, result.Errors);
        Assert.Contains("differs at byte 10", Assert.Single(result.ErrorSamples), StringComparison.Ordinal);
        Assert.Equal(4, result.VerifiedEchoes);
    }

    [Fact]
    public void LoadTarget_TcpScheme_IsRawAndOtherSchemesAreRefused()
    {
        Assert.True(new LoadTarget(new Uri("tcp://127.0.0.1:9/")).IsRawTcp);
        Assert.False(new LoadTarget(new Uri("ws://127.0.0.1:9/")).IsRawTcp);
        Assert.Throws<ArgumentException>(() => new LoadTarget(new Uri("http://127.0.0.1:9/")));
    }

    private sealed class RawEchoServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly long? flipAfterBytes;
        private long echoed;

        public RawEchoServer(long? flipAfterBytes)
        {
            this.flipAfterBytes = flipAfterBytes;
            listener.Start();
            _ = AcceptAsync();
        }

        public LoadTarget Target => new(new Uri($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"));

        public long EchoedBytes => Interlocked.Read(ref echoed);

        public void Dispose() => listener.Stop();

        private async Task AcceptAsync()
        {
            try
            {
                // Ends when the listener is stopped.
                while (true)
                {
                    var client = await listener.AcceptSocketAsync().ConfigureAwait(false);
                    _ = EchoAsync(client);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task EchoAsync(Socket client)
        {
            using var _ = client;
            var buffer = new byte[65536];
            long seen = 0;
            try
            {
                // Ends when the client closes (a read of 0) or the connection breaks.
                int read;
                while ((read = await client.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
                {
                    if (flipAfterBytes is { } at && at >= seen && at < seen + read)
                    {
                        buffer[at - seen] ^= 0xff;
                    }

                    seen += read;
                    for (var sent = 0; sent < read;)
                    {
                        sent += await client.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                    }

                    Interlocked.Add(ref echoed, read);
                }
            }
            catch (SocketException)
            {
            }
        }
    }
}
