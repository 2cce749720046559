using System.Globalization;
using Wsdoctor.Findings;
using Wsdoctor.TestPeers;
using Wsdoctor.Watch.Engine;

namespace Wsdoctor.Watch.Tests;

/// <summary>A real wsdoctor serve that is stopped (SIGTERM: 1001 to its clients) and started again on the same port
/// while watch holds a connection: the drop is the server's 1001, the reconnects are refused until it is back.</summary>
public sealed class RestartWatchTests
{
    [Fact]
    public async Task Watch_ServerRestarts_ClosedByServer1001ThenRefusedUntilBack()
    {
        var port = Peers.FreePort().ToString(CultureInfo.InvariantCulture);
        var serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}"]);
        try
        {
            var watching = Watching.RunAsync($"ws://127.0.0.1:{port}/", TimeSpan.FromSeconds(12), pingInterval: TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await serve.StopAsync(TimeSpan.FromSeconds(15));
            await serve.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}"]);
            var (summary, events) = await watching;

            var why = Watching.Describe(summary, events);
            var drop = Assert.Single(summary.Drops);
            Assert.Equal(Codes.SessionClosedByServer, drop.Code);
            Assert.Equal(1001, drop.CloseCode);
            Assert.Contains(summary.OpenFailures, f => f.Cause == Codes.TcpRefused);
            Assert.Equal(2, summary.Connections);
            Assert.True(summary.Reconnect.Max >= 1400, why);
            var finding = Assert.Single(summary.Findings);
            Assert.Equal(Codes.SessionClosedByServer, finding.Code);
            Assert.Contains(finding.Evidence, e => e.Contains("tcp.refused", StringComparison.Ordinal));
            Assert.Contains(finding.Evidence, e => e.Contains("server process restarted", StringComparison.Ordinal));
            Assert.Contains(events, e => e is OpenFailedEvent { Code: Codes.TcpRefused });
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }
}
