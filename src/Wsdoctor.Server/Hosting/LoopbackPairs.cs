using System.Net;
using System.Net.Sockets;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Server.Hosting;

/// <summary><c>--listen localhost:0</c> means 127.0.0.1 and ::1 on one port, because a client resolving
/// localhost may try either family and must reach the same server. With port 0 each bind would get a different
/// port, so a port free on every address is picked up front.</summary>
internal static class LoopbackPairs
{
    private const int Attempts = 20;

    public static IReadOnlyList<ListenEndpoint> AssignSharedPorts(IReadOnlyList<ListenEndpoint> endpoints)
    {
        var result = endpoints.ToList();
        foreach (var pair in endpoints.Where(e => e.Port == 0 && e.LocalhostPair is not null).GroupBy(e => e.LocalhostPair))
        {
            var members = pair.ToList();
            var port = FindPortFreeOnAll(members.Select(e => e.Address).ToList());
            for (var i = 0; i < result.Count; i++)
            {
                if (members.Contains(result[i]))
                {
                    result[i] = result[i] with { Port = port };
                }
            }
        }

        return result;
    }

    private static int FindPortFreeOnAll(IReadOnlyList<IPAddress> addresses)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var sockets = new List<Socket>();
            try
            {
                var first = Bind(addresses[0], 0);
                sockets.Add(first);
                var port = ((IPEndPoint)first.LocalEndPoint!).Port;
                var allFree = true;
                foreach (var address in addresses.Skip(1))
                {
                    try
                    {
                        sockets.Add(Bind(address, port));
                    }
                    catch (SocketException)
                    {
                        allFree = false;
                        break;
                    }
                }

                if (allFree)
                {
                    return port;
                }
            }
            finally
            {
                foreach (var socket in sockets)
                {
                    socket.Dispose();
                }
            }
        }

        throw new ListenException(T($"no port is free on all of {string.Join(", ", addresses)} after {Attempts} attempts", $"尝试 {Attempts} 次后，仍找不到在 {string.Join(", ", addresses)} 上都空闲的端口"));
    }

    private static Socket Bind(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
