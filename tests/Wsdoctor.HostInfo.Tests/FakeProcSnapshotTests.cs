using System.Net;
using Wsdoctor.HostInfo;

namespace Wsdoctor.HostInfo.Tests;

/// <summary>The owner scan against a /proc tree built on disk, so the inode-to-process mapping is
/// tested the same on any kernel (fd links are plain symlinks whose text is "socket:[inode]").</summary>
public sealed class FakeProcSnapshotTests : IDisposable
{
    private const string Row = "   0: {0}:{1:X4} 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 {2} 1 0 100 0 0 10 0\n";

    private readonly string _proc = Directory.CreateTempSubdirectory("wsdoctor-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void Snapshot_FakeProc_MapsInodesToOwningProcesses()
    {
        WriteTable("tcp", string.Format(Row, "0100007F", 3000, 9001) + string.Format(Row, "00000000", 22, 9002));
        WriteTable("tcp6", string.Format(Row, "00000000000000000000000001000000", 8081, 9003));
        AddProcess(4242, "node", ("3", "socket:[9001]"), ("4", "pipe:[77]"), ("5", "/dev/null"));
        AddProcess(4300, "dotnet", ("9", "socket:[9003]"));
        AddProcess(5000, "node", ("3", "socket:[9001]")); // a forked child sharing the socket
        Directory.CreateDirectory(Path.Combine(_proc, "4999")); // exited: no fd folder left
        Directory.CreateDirectory(Path.Combine(_proc, "self", "fd"));

        var listeners = LocalListeners.Snapshot(_proc, TimeSpan.FromSeconds(30));

        Assert.Equal(
            [
                new Listener(IPAddress.Loopback, 3000, 9001, 4242, "node"),
                new Listener(IPAddress.Any, 22, 9002, null, null),
                new Listener(IPAddress.IPv6Loopback, 8081, 9003, 4300, "dotnet"),
            ],
            listeners);
    }

    [Fact]
    public void Snapshot_NoTcp6Table_StillReadsTcp4()
    {
        WriteTable("tcp", string.Format(Row, "0100007F", 3000, 9001));

        var listener = Assert.Single(LocalListeners.Snapshot(_proc, TimeSpan.FromSeconds(30)));

        Assert.Equal(3000, listener.Port);
        Assert.Null(listener.ProcessId);
    }

    [Fact]
    public void Snapshot_NoProcNet_ReturnsEmpty()
    {
        Assert.Empty(LocalListeners.Snapshot(Path.Combine(_proc, "missing"), TimeSpan.FromSeconds(30)));
    }

    private void WriteTable(string name, string rows)
    {
        Directory.CreateDirectory(Path.Combine(_proc, "net"));
        File.WriteAllText(Path.Combine(_proc, "net", name), "  sl  local_address rem_address   st\n" + rows);
    }

    private void AddProcess(int pid, string comm, params (string Fd, string Target)[] fds)
    {
        var directory = Path.Combine(_proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(directory, "fd"));
        File.WriteAllText(Path.Combine(directory, "comm"), comm + "\n");
        foreach (var (fd, target) in fds)
        {
            File.CreateSymbolicLink(Path.Combine(directory, "fd", fd), target);
        }
    }
}
