using Wsdoctor.Load.Echo;

namespace Wsdoctor.Load.Tests;

public class EchoLoadTests
{
    /// <summary>A short run with generous step timeouts (a loaded 2-core machine); also used by RawTcpEchoTests.</summary>
    internal static EchoLoadOptions Short(int connections, int size) => new()
    {
        Connections = connections,
        MessageBytes = size,
        WarmUp = TimeSpan.FromMilliseconds(200),
        Duration = TimeSpan.FromMilliseconds(800),
        ConnectTimeout = TimeSpan.FromSeconds(20),
        StepTimeout = TimeSpan.FromSeconds(20),
    };

    [Theory]
    [InlineData(1, 32)]
    [InlineData(4, 4096)]
    [InlineData(2, 200_000)]
    public async Task RunAsync_CorrectEchoServer_VerifiesEveryEchoWithoutErrors(int connections, int size)
    {
        await using var server = await EchoServer.StartAsync();
        var phases = new List<LoadPhase>();

        var result = await EchoLoad.RunAsync(server.Target, Short(connections, size) with { PhaseChanged = phases.Add }, CancellationToken.None);

        Assert.Equal(0, result.Errors);
        Assert.Empty(result.ErrorSamples);
        Assert.Equal(connections, result.ConnectionsOpened);
        Assert.True(result.Messages > 0, "no round trip completed in the measured window");
        Assert.True(result.VerifiedEchoes >= result.Messages);
        // The engine sends exactly one message per verified echo; the server saw those (plus none extra).
        Assert.InRange(result.MeasuredSeconds, 0.7, 30);
        Assert.Equal([LoadPhase.WarmingUp, LoadPhase.Measuring, LoadPhase.Stopped], phases);
        Assert.True(result.LatencyMicroseconds.P50 > 0);
        Assert.True(result.LatencyMicroseconds.P50 <= result.LatencyMicroseconds.P99);
        Assert.True(result.LatencyMicroseconds.P99 <= result.LatencyMicroseconds.Max);
        Assert.Equal(result.MessagesPerSecond * size / 1e6, result.MegabytesPerSecond, 6);
        // Every connection ended with a close handshake.
        Assert.True(await server.WaitForOpenAsync(0, TimeSpan.FromSeconds(20)));
        Assert.Equal(connections, server.ClosedByClient);
    }

    [Theory]
    [InlineData(EchoFault.FlipOneByte, "differs at byte")]
    [InlineData(EchoFault.RepeatPreviousMessage, "differs at byte 0")]
    [InlineData(EchoFault.DropLastByte, "is 4095 bytes, 4096 were sent")]
    [InlineData(EchoFault.AnswerAsText, "connection 0")]
    public async Task RunAsync_ServerBreaksOneEcho_ReportsTheError(EchoFault fault, string expected)
    {
        await using var server = await EchoServer.StartAsync(fault);

        var result = await EchoLoad.RunAsync(server.Target, Short(1, 4096), CancellationToken.None);

        Assert.Equal(1, result.Errors);
        var sample = Assert.Single(result.ErrorSamples);
        Assert.Contains(expected, sample, StringComparison.Ordinal);
        // The broken echo is the 5th message; only the 4 before it were verified, and the connection stopped there.
        Assert.Equal(EchoServer.FaultAt - 1, result.VerifiedEchoes);
    }

    [Fact]
    public async Task RunAsync_NoServer_ReportsConnectFailuresAndMeasuresNothing()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await EchoLoad.RunAsync(new Connections.LoadTarget(new Uri($"ws://127.0.0.1:{port}/")), Short(3, 32), CancellationToken.None);

        Assert.Equal(0, result.ConnectionsOpened);
        Assert.Equal(3, result.Errors);
        Assert.All(result.ErrorSamples, e => Assert.Contains("cannot connect", e, StringComparison.Ordinal));
        Assert.Equal(0, result.Messages);
    }
}
