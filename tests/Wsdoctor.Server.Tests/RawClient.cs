using System.Net.Sockets;
using System.Text;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Server.Tests;

/// <summary>A WebSocket client on a bare TCP socket, for what well-behaved clients never do: stall in the
/// request head, never answer pings, send invalid UTF-8.</summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;

    private RawClient(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    public NetworkStream Stream => stream;

    public static async Task<RawClient> ConnectAsync(Uri url)
    {
        var tcp = new TcpClient(url.HostNameType == UriHostNameType.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await tcp.ConnectAsync(url.Host.Trim('[', ']'), url.Port, cts.Token);
        return new RawClient(tcp);
    }

    /// <summary>Sends a complete upgrade request and returns the response head.</summary>
    public async Task<string> HandshakeAsync(Uri url, params string[] extraHeaders)
    {
        var head = new StringBuilder()
            .Append("GET ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
            .Append("Sec-WebSocket-Key: ").Append(HandshakeKeys.NewKey()).Append("\r\n");
        foreach (var header in extraHeaders)
        {
            head.Append(header).Append("\r\n");
        }

        await SendAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        return await ReadHeadAsync();
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(TestServer.Wait);
        await stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>Reads up to the blank line that ends a response head, one byte at a time so no frame is eaten.</summary>
    public async Task<string> ReadHeadAsync()
    {
        using var cts = new CancellationTokenSource(TestServer.Wait);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16 * 1024)
        {
            if (await stream.ReadAsync(one, cts.Token) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    /// <summary>The next frame from the server (never masked): opcode and payload.</summary>
    public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync()
    {
        using var cts = new CancellationTokenSource(TestServer.Wait);
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, cts.Token);
        long length = header[1] & 0x7f;
        if (length == 126)
        {
            var ext = new byte[2];
            await stream.ReadExactlyAsync(ext, cts.Token);
            length = (ext[0] << 8) | ext[1];
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            await stream.ReadExactlyAsync(ext, cts.Token);
            length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ext);
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cts.Token);
        return (header[0] & 0x0f, payload);
    }

    /// <summary>Reads until the server's close frame and returns its code.</summary>
    public async Task<int> ReadCloseCodeAsync()
    {
        for (var frames = 0; frames < 1000; frames++)
        {
            var (opcode, payload) = await ReadFrameAsync();
            if (opcode == 8)
            {
                return payload.Length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
            }
        }

        throw new InvalidOperationException("no close frame in 1000 frames");
    }

    /// <summary>True once the server closed the TCP connection (read returns 0 or fails).</summary>
    public async Task<bool> ServerHungUpAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        stream.Dispose();
        tcp.Dispose();
    }
}
