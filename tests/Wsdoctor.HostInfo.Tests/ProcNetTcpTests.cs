using System.Net;
using Wsdoctor.HostInfo;

namespace Wsdoctor.HostInfo.Tests;

public class ProcNetTcpTests
{
    // Rows as Linux prints them on x86_64; the header line and the non-LISTEN rows must be ignored.
    private const string Tcp4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40123 1 0000000000000000 100 0 0 10 0
           1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 15876 1 0000000000000000 100 0 0 10 0
           2: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 17001 1 0000000000000000 100 0 0 10 5
           3: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 40991 1 0000000000000000 20 4 30 10 -1
           4: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 50001 1 0000000000000000 100 0 0 10 0
           1: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 50002 1 0000000000000000 100 0 0 10 0
           2: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 50003 1 0000000000000000 100 0 0 10 0
           3: 0000000000000000FFFF00000100007F:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 50004 1 0000000000000000 100 0 0 10 0
           4: 00000000000000000000000001000000:0BB8 00000000000000000000000001000000:E2A4 01 00000000:00000000 00:00000000 00000000  1000        0 50111 1 0000000000000000 20 4 30 10 -1
        """;

    [Fact]
    public void ParseListeners_Tcp4Table_ReturnsListenRowsOnly()
    {
        var listeners = ProcNetTcp.ParseListeners(Tcp4, ipv6: false);

        Assert.Equal(
            [
                (IPAddress.Parse("127.0.0.1"), 8080, 40123L),
                (IPAddress.Parse("0.0.0.0"), 22, 15876L),
                (IPAddress.Parse("127.0.0.53"), 53, 17001L),
            ],
            listeners);
    }

    [Fact]
    public void ParseListeners_Tcp6Table_DecodesLittleEndianWords()
    {
        var listeners = ProcNetTcp.ParseListeners(Tcp6, ipv6: true);

        Assert.Equal(
            [
                (IPAddress.Parse("::1"), 3000, 50001L),
                (IPAddress.Parse("::"), 8081, 50002L),
                (IPAddress.Parse("2001:db8::1"), 443, 50003L),
                (IPAddress.Parse("::ffff:127.0.0.1"), 9000, 50004L),
            ],
            listeners);
    }

    [Fact]
    public void ParseListeners_Tcp6TextReadAsTcp4_ReturnsNothing()
    {
        Assert.Empty(ProcNetTcp.ParseListeners(Tcp6, ipv6: false));
        Assert.Empty(ProcNetTcp.ParseListeners(Tcp4, ipv6: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A")] // cut before the inode
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0")]
    [InlineData("   0: 0100007F1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40123")] // no port separator
    [InlineData("   0: 0100007G:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40123")] // not hex
    [InlineData("   0: 0100007F:1F9000 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40123")] // port > 65535
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 -5")]
    public void ParseListeners_MalformedRow_IsSkipped(string row)
    {
        Assert.Empty(ProcNetTcp.ParseListeners(row, ipv6: false));
    }

    [Fact]
    public void ParseListeners_TabsAndLowerCaseState_AreAccepted()
    {
        var row = "0:\t0100007F:1F90\t00000000:0000\t0a\t00000000:00000000\t00:00000000\t00000000\t0\t0\t7\r\n";

        Assert.Equal([(IPAddress.Loopback, 8080, 7L)], ProcNetTcp.ParseListeners(row, ipv6: false));
    }
}
