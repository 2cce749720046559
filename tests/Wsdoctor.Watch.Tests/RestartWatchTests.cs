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
            // The stop comes a second after watch's first open, not at a fixed time (a loaded machine may take
            // seconds to open): a stop during the handshake would be a refusal, not the drop this test is about.
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var watching = Watching.RunAsync($"ws://127.0.0.1:{port}/", TimeSpan.FromSeconds(15), pingInterval: TimeSpan.FromSeconds(1), onEvent: e =>
            {
                if (e is OpenedEvent)
                {
                    opened.TrySetResult();
                }
            });
            await opened.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(1));
            await serve.StopAsync(TimeSpan.FromSeconds(15));
            await serve.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            serve = await ServeProcess.StartAsync(["--listen", $"127.0.0.1:{port}"]);
            var (summary, events) = await watching;

            var why = Watching.Describe(summary, events);
            var drop = Assert.Single(summary.Drops);
            Assert.True(drop.Code == Codes.SessionClosedByServer && drop.CloseCode == 1001, why);
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
