using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Rendering;
using Wsdoctor.Client.Session;
using Wsdoctor.Client.Tap;
using Wsdoctor.Client.Tests.Support;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.TestPeers;

namespace Wsdoctor.Client.Tests.Session;

/// <summary>The engine against a real Node `ws` server on loopback.</summary>
public sealed class NodeWsSessionTests
{
    [SkippableFact]
    public async Task Text_Binary_Empty_EchoedAsWholeMessages()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/echo"));

        await live.SendTextAsync("héllo");
        Assert.Equal("héllo", Live.Text(live.NextIn()));
        await live.SendBinaryAsync([0, 1, 2, 255]);
        var binary = live.NextIn();
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, binary.Data);
        await live.SendTextAsync("");
        var empty = live.NextIn();
        Assert.Equal(WebSocketMessageType.Text, empty.Type);
        Assert.Empty(empty.Data);
        await peer.WaitForAsync("message", e => e.GetProperty("size").GetInt32() == 0);
    }

    [SkippableFact]
    public async Task SixteenMegabyteBinary_RoundTripsIntact()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));
        var data = new byte[16 * 1024 * 1024];
        new Random(7).NextBytes(data);

        await live.SendBinaryAsync(data);

        var echo = live.NextIn();
        Assert.Equal(data.Length, echo.Data.Length);
        Assert.True(data.AsSpan().SequenceEqual(echo.Data));
        Assert.Equal(0, live.Connection.Tap.UnalignedWrites);
    }

    [SkippableFact]
    public async Task FragmentedServerMessage_DeliveredAsOneMessage()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));

        await live.SendTextAsync("fragments:ab,cd,ef");

        var message = live.NextIn();
        Assert.Equal("abcdef", Live.Text(message));
        Assert.DoesNotContain(live.Seen, e => e is MessageEvent { Direction: TapDirection.In } m && Live.Text(m) == "ab");
    }

    [SkippableFact]
    public async Task ServerPing_ShownWithOurAutomaticPong()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));

        await live.SendTextAsync("ping:are-you-there");

        var ping = live.Next<ControlEvent>(c => c.Opcode == Opcode.Ping);
        Assert.Equal(TapDirection.In, ping.Direction);
        Assert.Equal("are-you-there", Encoding.UTF8.GetString(ping.Payload));
        var pong = live.Next<ControlEvent>(c => c.Opcode == Opcode.Pong);
        Assert.Equal(TapDirection.Out, pong.Direction);
        Assert.Equal("are-you-there", Encoding.UTF8.GetString(pong.Payload));
        await peer.WaitForAsync("pong", e => e.GetProperty("data").GetString() == "are-you-there");
    }

    [SkippableFact]
    public async Task OurPing_ServerSeesIt_PongCarriesRtt()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));

        await live.Session.PingAsync(Encoding.UTF8.GetBytes("probe-1"), CancellationToken.None);

        var pong = live.Next<ControlEvent>(c => c.Opcode == Opcode.Pong && c.Direction == TapDirection.In);
        Assert.Equal("probe-1", Encoding.UTF8.GetString(pong.Payload));
        Assert.NotNull(pong.RttMs);
        Assert.True(pong.RttMs >= 0);
        await peer.WaitForAsync("ping", e => e.GetProperty("data").GetString() == "probe-1");

        // Our injected ping sits between the WebSocket's own frames without breaking them.
        await live.SendTextAsync("after the ping");
        Assert.Equal("after the ping", Live.Text(live.NextIn()));
    }

    [SkippableFact]
    public async Task PingInterval_SendsPingsAndMeasuresEach()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"),
            new SessionOptions { PingInterval = TimeSpan.FromMilliseconds(100), PingTimeout = TimeSpan.FromSeconds(20) });

        var first = live.Next<ControlEvent>(c => c.RttMs is not null);
        var second = live.Next<ControlEvent>(c => c.RttMs is not null && !c.Payload.AsSpan().SequenceEqual(first.Payload));

        Assert.StartsWith("wsdoctor-", Encoding.ASCII.GetString(second.Payload), StringComparison.Ordinal);
        await peer.WaitForAsync("ping", e => e.GetProperty("data").GetString() == Encoding.ASCII.GetString(second.Payload));
    }

    [SkippableFact]
    public async Task ServerCloses1008_CodeAndReasonExplained()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));

        await live.SendTextAsync("close:1008:token expired");
        var end = await live.EndAsync();

        Assert.Equal(1008, end.Code);
        Assert.Equal("token expired", end.Reason);
        Assert.False(end.WeClosed);
        Assert.False(end.IsNormal);
        var lines = CloseExplanation.Lines(Wsdoctor.Findings.Text.T("the server", "服务端"), end.Code, end.Reason).Select(l => l.En).ToList();
        Assert.Contains("1008 Policy Violation \"token expired\"", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("fix:", StringComparison.Ordinal) && l.Contains("token", StringComparison.Ordinal));
        var inClose = live.Next<CloseEvent>(c => c.Direction == TapDirection.In);
        Assert.Equal(1008, inClose.Code);
        var echoed = live.Next<CloseEvent>(c => c.Direction == TapDirection.Out);
        Assert.Equal(1008, echoed.Code);
    }

    [SkippableFact]
    public async Task ClientClose4000_ServerLogsCodeAndReason()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));

        await live.Session.CloseAsync(4000, "bye", CancellationToken.None);
        var end = await live.EndAsync();

        var close = await peer.WaitForAsync("close");
        Assert.Equal(4000, close.GetProperty("code").GetInt32());
        Assert.Equal("bye", close.GetProperty("reason").GetString());
        Assert.True(end.WeClosed);
        Assert.True(end.IsNormal);
    }

    [SkippableFact]
    public async Task ServerDropsTcp_EndIsA1006Drop()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/"));

        await live.SendTextAsync("drop");
        var end = await live.EndAsync();

        Assert.True(end.IsDrop);
        Assert.Null(end.Code);
        Assert.Contains("1006", CloseExplanation.Dropped(end.Error!)[0], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Compress_NegotiatesPermessageDeflateWithWs()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", compress: true));

        var big = string.Concat(Enumerable.Repeat("compressible text ", 20_000));
        await live.SendTextAsync(big);

        Assert.Equal(big, Live.Text(live.NextIn()));
        Assert.True(live.Connection.Facts.Deflate);
        Assert.Contains("permessage-deflate", live.Connection.Facts.Extensions, StringComparison.Ordinal);
        var upgrade = await peer.WaitForAsync("upgrade");
        Assert.Contains("permessage-deflate", upgrade.GetProperty("headers").GetProperty("sec-websocket-extensions").GetString(), StringComparison.Ordinal);
        var open = await peer.WaitForAsync("open");
        Assert.Contains("permessage-deflate", open.GetProperty("extensions").GetString(), StringComparison.Ordinal);
        // The compressed frames on the wire were far smaller than the text.
        var received = await peer.WaitForAsync("message");
        Assert.Equal(big.Length, received.GetProperty("size").GetInt32());
    }

    [SkippableFact]
    public async Task Subprotocol_OfferedAndNegotiated()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", o => o with { Subprotocols = ["chat.v2", "chat.v1"] }));

        Assert.Equal("chat.v2", live.Connection.Facts.Subprotocol);
        Assert.Equal("chat.v2", live.Connection.Socket.SubProtocol);
        var open = await peer.WaitForAsync("open");
        Assert.Equal("chat.v2", open.GetProperty("protocol").GetString());
    }

    [SkippableFact]
    public async Task TokenCookieHeaderOrigin_ReachTheServerWhereAsked()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/feed", o => o with
        {
            Token = "s3cr3t",
            TokenIn = new Probes.TokenPlacement(Probes.TokenPlacementKind.Query, "access_token"),
            Cookie = "session=abc",
            Origin = "https://app.example.test",
            Headers = [new Protocol.Http.HttpHeader("X-Trace", "t-1")],
        }));

        var upgrade = await peer.WaitForAsync("upgrade");
        var headers = upgrade.GetProperty("headers");
        Assert.Equal("/feed?access_token=s3cr3t", upgrade.GetProperty("url").GetString());
        Assert.Equal("session=abc", headers.GetProperty("cookie").GetString());
        Assert.Equal("https://app.example.test", headers.GetProperty("origin").GetString());
        Assert.Equal("t-1", headers.GetProperty("x-trace").GetString());
    }

    [SkippableFact]
    public async Task BearerToken_SentAsAuthorization()
    {
        using var peer = await EventPeer.StartNodeAsync();
        await using var live = await Live.OpenAsync(Live.Options($"ws://127.0.0.1:{peer.Port}/", o => o with { Token = "abc.def" }));

        var upgrade = await peer.WaitForAsync("upgrade");
        Assert.Equal("Bearer abc.def", upgrade.GetProperty("headers").GetProperty("authorization").GetString());
    }
}
