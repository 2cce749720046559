using System.Net;
using System.Net.WebSockets;
using Wsdoctor.Conform.Cases;
using Wsdoctor.Conform.Harness;

namespace Wsdoctor.Conform.Tests.Harness;

/// <summary>The harness protocol's last request, in process against a real socket.</summary>
public sealed class FuzzingServerTests
{
    [Fact]
    public async Task UpdateReports_AcceptedBeforeTheReportsAreWritten_ClosedOnceTheyAre()
    {
        await using var server = new FuzzingServer(new IPEndPoint(IPAddress.Loopback, 0), CaseTable.Select(CaseTable.For(false), ["1.1.1"], null));
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ReportsRequested = async agent =>
        {
            Assert.Equal("a", agent);
            writing.TrySetResult();
            await written.Task;
        };
        server.ReportsAnswered = () => answered.TrySetResult();
        server.Start();

        // The upgrade is answered while the reports are still being written (a client's handshake timeout, e.g.
        // Python websockets' 10 s, must not race the writing of a large report).
        using var client = new ClientWebSocket();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync(new Uri($"ws://{server.LocalEndpoint}/updateReports?agent=a"), wait.Token);
        await writing.Task.WaitAsync(wait.Token);
        Assert.False(answered.Task.IsCompleted);

        written.SetResult();
        var frame = await client.ReceiveAsync(new byte[64], wait.Token);
        Assert.Equal(WebSocketMessageType.Close, frame.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", wait.Token);
        await answered.Task.WaitAsync(wait.Token);
    }
}
