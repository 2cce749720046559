using System.Diagnostics;
using System.Globalization;

namespace Wsdoctor.HostInfo;

/// <summary>Maps socket inodes to the processes holding them, the way ss -p and lsof do: each
/// /proc/&lt;pid&gt;/fd/N of a socket is a link whose text is "socket:[inode]".</summary>
internal static class SocketOwners
{
    // On top of the time budget: a host with thousands of processes could otherwise cost seconds.
    private const int MaxLinksRead = 200_000;

    private const string SocketLinkPrefix = "socket:[";

    /// <summary>Best effort: processes that exit mid-scan, or whose fds we may not read, are skipped.</summary>
    public static Dictionary<long, (int ProcessId, string? ProcessName)> Find(
        string procRoot, IReadOnlySet<long> inodes, TimeSpan budget)
    {
        var owners = new Dictionary<long, (int, string?)>();
        var started = Stopwatch.GetTimestamp();
        var linksRead = 0;
        bool Done() => owners.Count == inodes.Count || linksRead >= MaxLinksRead || Stopwatch.GetElapsedTime(started) > budget;

        // Lowest pid first, so that sockets shared after fork (nginx, haproxy workers) go to the parent.
        foreach (var pid in ProcessIds(procRoot))
        {
            var processDirectory = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
            string? name = null;
            foreach (var fd in Entries(Path.Combine(processDirectory, "fd")))
            {
                if (Done())
                {
                    return owners;
                }

                linksRead++;
                if (TryReadSocketInode(fd, out var inode) && inodes.Contains(inode) && !owners.ContainsKey(inode))
                {
                    name ??= ReadName(processDirectory);
                    owners[inode] = (pid, name);
                }
            }
        }

        return owners;
    }

    private static IEnumerable<int> ProcessIds(string procRoot) =>
        Entries(procRoot)
            .Select(path => int.TryParse(Path.GetFileName(path), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Order();

    private static string[] Entries(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool TryReadSocketInode(string fdPath, out long inode)
    {
        inode = 0;
        string? target;
        try
        {
            target = new FileInfo(fdPath).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return target is not null
            && target.StartsWith(SocketLinkPrefix, StringComparison.Ordinal)
            && target.EndsWith(']')
            && long.TryParse(target.AsSpan(SocketLinkPrefix.Length, target.Length - SocketLinkPrefix.Length - 1),
                NumberStyles.None, CultureInfo.InvariantCulture, out inode);
    }

    private static string? ReadName(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
