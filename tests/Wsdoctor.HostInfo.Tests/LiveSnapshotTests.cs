using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Wsdoctor.HostInfo;

namespace Wsdoctor.HostInfo.Tests;

/// <summary>Against this machine's real /proc: our own listeners must show up with our pid and name.</summary>
public class LiveSnapshotTests
{
    [SkippableFact]
    public void Snapshot_OwnListeners_FoundWithThisProcess()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc/net/tcp is Linux only");
        var v4 = new TcpListener(IPAddress.Loopback, 0);
        var v6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        v4.Start();
        v6.Start();
        try
        {
            var v4Port = ((IPEndPoint)v4.LocalEndpoint).Port;
            var v6Port = ((IPEndPoint)v6.LocalEndpoint).Port;
            using var self = Process.GetCurrentProcess();

            // The product's owner scan stops after 500 ms (owners are extra evidence); a machine loaded by other
            // test runs can need longer to walk every /proc/PID/fd, so the mapping itself is tested with room.
            var listeners = LocalListeners.Snapshot("/proc", TimeSpan.FromSeconds(30));

            var found4 = Assert.Single(listeners, l => l.Port == v4Port && l.Address.Equals(IPAddress.Loopback));
            var found6 = Assert.Single(listeners, l => l.Port == v6Port && l.Address.Equals(IPAddress.IPv6Loopback));
            Assert.All([found4, found6], l =>
            {
                Assert.NotEqual(0, l.Inode);
                Assert.Equal(Environment.ProcessId, l.ProcessId);
                Assert.Equal(self.ProcessName, l.ProcessName);
            });
            Assert.Contains(LocalListeners.ReachableOnLoopback(listeners, ipv6: false), l => l.Port == v4Port);
            Assert.Contains(LocalListeners.ReachableOnLoopback(listeners, ipv6: true), l => l.Port == v6Port);
        }
        finally
        {
            v4.Stop();
            v6.Stop();
        }
    }

    [SkippableFact]
    public void Snapshot_StoppedListener_IsGoneWhileOpenOneStays()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc/net/tcp is Linux only");
        var kept = new TcpListener(IPAddress.Loopback, 0);
        var stopped = new TcpListener(IPAddress.Loopback, 0);
        kept.Start();
        stopped.Start();
        var stoppedPort = ((IPEndPoint)stopped.LocalEndpoint).Port;
        stopped.Stop();
        try
        {
            var ports = LocalListeners.Snapshot().Where(l => l.Address.Equals(IPAddress.Loopback)).Select(l => l.Port);

            Assert.Contains(((IPEndPoint)kept.LocalEndpoint).Port, ports);
            Assert.DoesNotContain(stoppedPort, ports);
        }
        finally
        {
            kept.Stop();
        }
    }
}
