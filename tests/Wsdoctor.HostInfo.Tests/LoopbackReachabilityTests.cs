using System.Net;
using Wsdoctor.HostInfo;

namespace Wsdoctor.HostInfo.Tests;

public class LoopbackReachabilityTests
{
    private static Listener On(string address, int port, string name = "node") =>
        new(IPAddress.Parse(address), port, port, 100, name);

    [Fact]
    public void ReachableOnLoopback_Ipv4_KeepsV4LoopbackWildcardsAndDualStack()
    {
        Listener[] all =
        [
            On("127.0.0.1", 3000),
            On("0.0.0.0", 22),
            On("::", 8081),
            On("::ffff:127.0.0.1", 9000),
            On("::1", 4000),
            On("127.0.0.53", 53),
            On("192.0.2.10", 5432),
        ];

        var ports = LocalListeners.ReachableOnLoopback(all, ipv6: false).Select(l => l.Port);

        Assert.Equal([22, 3000, 8081, 9000], ports);
    }

    [Fact]
    public void ReachableOnLoopback_Ipv6_KeepsV6LoopbackAndWildcardOnly()
    {
        Listener[] all = [On("::1", 4000), On("::", 8081), On("127.0.0.1", 3000), On("0.0.0.0", 22)];

        var ports = LocalListeners.ReachableOnLoopback(all, ipv6: true).Select(l => l.Port);

        Assert.Equal([4000, 8081], ports);
    }

    [Fact]
    public void ReachableOnLoopback_SharedPort_ReportsTheSocketTheKernelPicks()
    {
        Listener[] all = [On("::", 8080, "dual"), On("0.0.0.0", 8080, "any4"), On("127.0.0.1", 8080, "exact")];

        var v4 = Assert.Single(LocalListeners.ReachableOnLoopback(all, ipv6: false));
        var v6 = Assert.Single(LocalListeners.ReachableOnLoopback(all, ipv6: true));

        Assert.Equal("exact", v4.ProcessName);
        Assert.Equal("dual", v6.ProcessName);
    }
}
