using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tests.Support;

namespace Wsdoctor.Client.Tests.Session;

public sealed class PingTimeoutTests
{
    [Fact]
    public async Task NoPongWithinTimeout_SessionDropsWithReason()
    {
        using var server = new SilentServer();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{server.Port}/"),
            new SessionOptions { PingInterval = TimeSpan.FromMilliseconds(100), PingTimeout = TimeSpan.FromMilliseconds(500) });

        var end = await live.EndAsync();

        Assert.True(end.IsDrop);
        Assert.Contains("no pong within 0.5 s", end.Error, StringComparison.Ordinal);
        var note = live.Next<NoteEvent>();
        Assert.True(note.IsProblem);
        Assert.Contains("--ping-timeout", note.Text, StringComparison.Ordinal);
    }
}
