using System.Net;
using System.Net.Sockets;

namespace Wsdoctor.Lab.Servers;

/// <summary>Fixed ports for servers that must listen on one (the restricted-port scenarios).</summary>
public static class Ports
{
    /// <summary>The first of <paramref name="ports"/> that loopback can bind right now, or null when all are in use.</summary>
    public static int? FirstFree(params int[] ports)
    {
        foreach (var port in ports)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: the next one.
            }
        }

        return null;
    }
}
