using System.Net;
using System.Net.Sockets;
using Wsdoctor.Findings;
using Wsdoctor.HostInfo;
using static Wsdoctor.Findings.Text;

namespace Wsdoctor.Server.Hosting;

/// <summary>Says who holds a port we could not bind: "already in use" alone sends people hunting with
/// lsof; the owning process is one /proc read away.</summary>
internal static class PortOwner
{
    /// <summary>The first endpoint that cannot be bound right now, if any.</summary>
    public static ListenEndpoint? FindBusy(IEnumerable<ListenEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints.Where(e => e.Port != 0))
        {
            using var probe = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(endpoint.Address, endpoint.Port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return endpoint;
            }
            catch (SocketException)
            {
                // Not available for another reason; reported by the caller.
            }
        }

        return null;
    }

    public static Text Describe(ListenEndpoint endpoint)
    {
        var holder = LocalListeners.Snapshot()
            .Where(l => l.Port == endpoint.Port && (l.Address.Equals(endpoint.Address) || l.Address.Equals(IPAddress.Any) || l.Address.Equals(IPAddress.IPv6Any)))
            .OrderByDescending(l => l.Address.Equals(endpoint.Address))
            .FirstOrDefault();
        return holder switch
        {
            { ProcessName: { } name, ProcessId: { } pid } => T($"{endpoint} is already in use by {name} (pid {pid})", $"{endpoint} 已被 {name}（pid {pid}）占用"),
            not null => T(
                $"{endpoint} is already in use by a process this user cannot see (try: sudo ss -ltnp 'sport = :{endpoint.Port}')",
                $"{endpoint} 已被当前用户看不到的进程占用（可以试试：sudo ss -ltnp 'sport = :{endpoint.Port}'）"),
            null => T($"{endpoint} is already in use", $"{endpoint} 已被占用"),
        };
    }
}
