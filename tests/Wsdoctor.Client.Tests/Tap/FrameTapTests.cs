using System.Net.WebSockets;
using System.Text;
using Wsdoctor.Client.Tap;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Client.Tests.Tap;

public sealed class FrameTapTests
{
    /// <summary>A transport whose reads come from a script and whose writes are recorded one call at a time.</summary>
    private sealed class ScriptedTransport(byte[] incoming) : MemoryStream(incoming)
    {
        public List<byte[]> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Read_ServerPingPongClose_ReportedInOrder()
    {
        byte[] wire =
        [
            0x89, 0x02, (byte)'h', (byte)'i',          // FIN + ping, unmasked, 2 bytes "hi"
            0x81, 0x01, (byte)'x',                     // FIN + text "x" (not reported: the WebSocket delivers it)
            0x8A, 0x00,                                // FIN + pong, empty
            0x88, 0x04, 0x03, 0xE8, (byte)'o', (byte)'k', // FIN + close, code 1000 (0x03E8), reason "ok"
        ];
        var seen = new List<(TapDirection, FrameEvent)>();
        using var tap = new FrameTap(new ScriptedTransport(wire), perMessageDeflate: false, (d, e) => seen.Add((d, e)));

        var buffer = new byte[3];
        while (await tap.ReadAsync(buffer) > 0)
        {
            // Three bytes at a time: frames split across reads must still be recognised.
        }

        Assert.Collection(seen,
            e => Assert.Equal("hi", Encoding.ASCII.GetString(Assert.IsType<PingReceived>(e.Item2).Payload)),
            e => Assert.Empty(Assert.IsType<PongReceived>(e.Item2).Payload),
            e =>
            {
                var close = Assert.IsType<CloseReceived>(e.Item2);
                Assert.Equal(1000, close.Code);
                Assert.Equal("ok", close.Reason);
            });
        Assert.All(seen, e => Assert.Equal(TapDirection.In, e.Item1));
    }

    [Fact]
    public async Task SendControl_WritesOneMaskedPingFrame()
    {
        var transport = new ScriptedTransport([]);
        var seen = new List<(TapDirection, FrameEvent)>();
        using var tap = new FrameTap(transport, perMessageDeflate: false, (d, e) => seen.Add((d, e)));

        await tap.SendControlAsync(Opcode.Ping, Encoding.ASCII.GetBytes("abc"), CancellationToken.None);

        var frame = Assert.Single(transport.Writes);
        Assert.Equal(0x89, frame[0]);          // FIN + ping
        Assert.Equal(0x80 | 3, frame[1]);      // MASK bit + length 3 (RFC 6455 5.1: client frames are masked)
        Assert.Equal(2 + 4 + 3, frame.Length);
        var (direction, e) = Assert.Single(seen);
        Assert.Equal(TapDirection.Out, direction);
        Assert.Equal("abc", Encoding.ASCII.GetString(Assert.IsType<PingReceived>(e).Payload));
    }

    /// <summary>The tap injects pings between writes, which is only safe if ManagedWebSocket writes each frame in
    /// exactly one WriteAsync. Checked here against the runtime for small, 16-bit, 64-bit lengths and deflate.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManagedWebSocket_WritesEachFrameInOneCall(bool deflate)
    {
        var transport = new ScriptedTransport([]);
        using var tap = new FrameTap(transport, deflate, (_, _) => { });
        using var socket = WebSocket.CreateFromStream(tap, new WebSocketCreationOptions
        {
            IsServer = false,
            KeepAliveInterval = TimeSpan.Zero,
            DangerousDeflateOptions = deflate ? new WebSocketDeflateOptions() : null,
        });

        foreach (var size in new[] { 0, 1, 125, 126, 65535, 65536, 1_000_000 })
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            await socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
            await socket.SendAsync(data.AsMemory(0, size / 2), WebSocketMessageType.Binary, false, CancellationToken.None);
            await socket.SendAsync(data.AsMemory(size / 2), WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal(22, transport.Writes.Count);
        Assert.All(transport.Writes, w => Assert.True(FrameBoundaries.IsWholeFrames(w)));
        Assert.Equal(0, tap.UnalignedWrites);
    }

    [Fact]
    public void IsWholeFrames_SplitFrame_False()
    {
        var frame = FrameWriter.Build(Opcode.Binary, new byte[300], mask: true);
        Assert.True(FrameBoundaries.IsWholeFrames(frame));
        Assert.False(FrameBoundaries.IsWholeFrames(frame.AsSpan(0, 100)));
        Assert.False(FrameBoundaries.IsWholeFrames(frame.AsSpan(0, 3)));
        Assert.True(FrameBoundaries.IsWholeFrames([.. frame, .. frame]));
    }
}
