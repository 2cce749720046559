using System.Net;
using System.Net.Sockets;
using System.Text;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Client.Tests.Support;

/// <summary>A loopback server that completes the opening handshake correctly and then never sends another byte:
/// what a hung backend behind a proxy looks like. No WebSocket library answers pings automatically here.</summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];

    public SilentServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        try
        {
            var socket = await _listener.AcceptSocketAsync();
            lock (_accepted)
            {
                _accepted.Add(socket);
            }

            var buffer = new byte[8192];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer);
                if (n == 0)
                {
                    return;
                }

                head.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }

            var keyLine = head.ToString().Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase));
            var accept = HandshakeKeys.ComputeAccept(keyLine[(keyLine.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }
    }
}
