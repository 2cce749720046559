using System.Net;
using System.Text;

namespace Wsdoctor.HostInfo;

/// <summary>What listens on this host, so that a refused connection can say which ports do answer.</summary>
public static class LocalListeners
{
    // A busy server's /proc/net/tcp runs to tens of megabytes of connections. The kernel lists the
    // listening sockets before the established ones (net/ipv4/tcp_ipv4.c, tcp_get_idx), so a cap on
    // what is read keeps every listener while bounding the work.
    private const int MaxTableChars = 4 * 1024 * 1024;

    private static readonly TimeSpan OwnerScanBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>The listening TCP sockets, IPv4 and IPv6, with their owning process where it can be
    /// read (another user's fds cannot, unless we are root). Empty on non-Linux or without /proc.</summary>
    public static IReadOnlyList<Listener> Snapshot() =>
        OperatingSystem.IsLinux() ? Snapshot("/proc", OwnerScanBudget) : [];

    internal static IReadOnlyList<Listener> Snapshot(string procRoot, TimeSpan ownerScanBudget)
    {
        var sockets = ReadTable(Path.Combine(procRoot, "net", "tcp"), ipv6: false)
            .Concat(ReadTable(Path.Combine(procRoot, "net", "tcp6"), ipv6: true))
            .ToList();
        if (sockets.Count == 0)
        {
            return [];
        }

        // Inode 0 means the socket is not attached to a file, so no process holds it.
        var inodes = sockets.Select(s => s.Inode).Where(inode => inode != 0).ToHashSet();
        var owners = SocketOwners.Find(procRoot, inodes, ownerScanBudget);
        return sockets
            .Select(s => owners.TryGetValue(s.Inode, out var owner)
                ? new Listener(s.Address, s.Port, s.Inode, owner.ProcessId, owner.ProcessName)
                : new Listener(s.Address, s.Port, s.Inode, null, null))
            .ToList();
    }

    /// <summary>The listeners a client connecting to the loopback address of one family
    /// (127.0.0.1 or ::1) would reach, one per port, ordered by port.</summary>
    /// <remarks>A socket bound to <c>::</c> counts for IPv4 too: Linux makes it dual-stack unless it set
    /// IPV6_V6ONLY (net.ipv6.bindv6only defaults to 0), which /proc/net/tcp6 does not show. Other
    /// 127.0.0.0/8 addresses (127.0.0.53 and the like) are not reachable through 127.0.0.1.</remarks>
    public static IReadOnlyList<Listener> ReachableOnLoopback(IReadOnlyList<Listener> all, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(all);

        // Where several sockets share a port, the kernel hands the connection to the most specific
        // one: an exact address beats a wildcard, and an IPv4 socket beats a dual-stack one
        // (net/ipv4/inet_hashtables.c, compute_score). Report that one.
        return all
            .Select(listener => (listener, rank: LoopbackRank(listener.Address, ipv6)))
            .Where(candidate => candidate.rank > 0)
            .GroupBy(candidate => candidate.listener.Port)
            .Select(port => port.MaxBy(candidate => candidate.rank).listener)
            .OrderBy(listener => listener.Port)
            .ToList();
    }

    // 0: not reachable; higher: more specific.
    private static int LoopbackRank(IPAddress bound, bool ipv6)
    {
        if (ipv6)
        {
            return bound.Equals(IPAddress.IPv6Loopback) ? 2 : bound.Equals(IPAddress.IPv6Any) ? 1 : 0;
        }

        if (bound.Equals(IPAddress.IPv6Any))
        {
            return 1;
        }

        // A tcp6 socket bound to ::ffff:127.0.0.1 only ever accepts IPv4 connections.
        var v4 = bound.IsIPv4MappedToIPv6 ? bound.MapToIPv4() : bound;
        return v4.Equals(IPAddress.Loopback) ? 3 : v4.Equals(IPAddress.Any) ? 2 : 0;
    }

    private static IReadOnlyList<(IPAddress Address, int Port, long Inode)> ReadTable(string path, bool ipv6)
    {
        var text = new StringBuilder();
        try
        {
            using var reader = new StreamReader(path);
            var chunk = new char[64 * 1024];
            int read;
            while (text.Length < MaxTableChars && (read = reader.Read(chunk, 0, chunk.Length)) > 0)
            {
                text.Append(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No IPv6 in this kernel, /proc not mounted, or not Linux after all.
            return [];
        }

        var table = text.ToString();
        if (table.Length >= MaxTableChars)
        {
            // Cut at the last whole row: a row cut short could still parse, with a wrong inode.
            table = table[..(table.LastIndexOf('\n') + 1)];
        }

        return ProcNetTcp.ParseListeners(table, ipv6);
    }
}
