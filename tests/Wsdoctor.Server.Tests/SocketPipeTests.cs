using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Server.Transport;

namespace Wsdoctor.Server.Tests;

/// <summary>serve's own socket pipes (<see cref="SocketPipe"/>) over a real loopback connection, and serve's own
/// transport (<see cref="DirectTransport"/>) with the request heads it must leave to Kestrel.</summary>
public sealed class SocketPipeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Read_WhatArrivesInPieces_AppendsToWhatWasNotConsumed()
    {
        var (peer, served) = await PairAsync();
        using (peer)
        using (served)
        {
            var pipe = new SocketPipe(served);
            var sent = RandomNumberGenerator.GetBytes(10_000);
            var send = SendInPiecesAsync(peer, sent, 7);

            // Nothing is consumed, so the buffer has to grow past its first 4 KiB block and keep every byte in order.
            ReadResult result = default;
            for (var reads = 0; reads < 10_000; reads++)
            {
                result = await pipe.ReadAsync().AsTask().WaitAsync(Bound);
                Assert.False(result.IsCanceled);
                Assert.False(result.IsCompleted);
                if (result.Buffer.Length >= sent.Length)
                {
                    break;
                }

                pipe.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }

            await send;
            Assert.Equal(sent, result.Buffer.ToArray());

            // Consuming part of it leaves the rest at the start of the next read.
            pipe.AdvanceTo(result.Buffer.GetPosition(9_000), result.Buffer.End);
            await peer.SendAsync(new byte[] { 1, 2, 3 });
            var next = await pipe.ReadAsync().AsTask().WaitAsync(Bound);
            Assert.Equal(sent[9_000..].Concat(new byte[] { 1, 2, 3 }), next.Buffer.ToArray());
            pipe.AdvanceTo(next.Buffer.End);
            pipe.Complete();
        }
    }

    [Fact]
    public async Task Read_PeerCloses_Completes()
    {
        var (peer, served) = await PairAsync();
        using (served)
        {
            var pipe = new SocketPipe(served);
            var read = pipe.ReadAsync().AsTask();
            await peer.SendAsync(new byte[] { 42 });
            peer.Shutdown(SocketShutdown.Send);
            peer.Dispose();

            var data = new List<byte>();
            var result = await read.WaitAsync(Bound);
            for (var reads = 0; reads < 100 && !result.IsCompleted; reads++)
            {
                data.AddRange(result.Buffer.ToArray());
                pipe.AdvanceTo(result.Buffer.End);
                result = await pipe.ReadAsync().AsTask().WaitAsync(Bound);
            }

            data.AddRange(result.Buffer.ToArray());
            Assert.True(result.IsCompleted);
            Assert.Equal(new byte[] { 42 }, data);
        }
    }

    [Fact]
    public async Task CancelPendingRead_WakesAWaitingRead_AsCancelled()
    {
        var (peer, served) = await PairAsync();
        using (peer)
        using (served)
        {
            var pipe = new SocketPipe(served);
            var read = pipe.ReadAsync().AsTask();
            await Task.Delay(200);
            Assert.False(read.IsCompleted);

            pipe.CancelPendingRead();
            var result = await read.WaitAsync(Bound);
            Assert.True(result.IsCanceled);

            // It is a cut: the peer sees the connection end.
            var buffer = new byte[16];
            using var cts = new CancellationTokenSource(Bound);
            Assert.Equal(0, await peer.ReceiveAsync(buffer, SocketFlags.None, cts.Token));
        }
    }

    [Fact]
    public async Task Flush_MoreThanTheKernelTakes_ArrivesWholeAndInOrder()
    {
        var (peer, served) = await PairAsync();
        using (peer)
        using (served)
        {
            var pipe = new SocketPipe(served);

            // 8 MiB in 100 KiB writes: past the 256 KiB block limit (several blocks) and more than loopback buffers
            // hold, so the flush goes on asynchronously while the peer reads.
            var sent = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
            for (var offset = 0; offset < sent.Length; offset += 100 * 1024)
            {
                pipe.Output.Write(sent.AsSpan(offset, Math.Min(100 * 1024, sent.Length - offset)));
            }

            var flush = pipe.Output.FlushAsync().AsTask();
            var received = await ReceiveExactlyAsync(peer, sent.Length);
            var result = await flush.WaitAsync(Bound);
            Assert.False(result.IsCanceled);
            Assert.False(result.IsCompleted);
            Assert.Equal(sent, received);

            // And the next flush starts from an empty buffer.
            pipe.Output.Write("next"u8);
            await pipe.Output.FlushAsync().AsTask().WaitAsync(Bound);
            Assert.Equal("next"u8.ToArray(), await ReceiveExactlyAsync(peer, 4));
            pipe.Output.Complete();
        }
    }

    [Fact]
    public async Task CancelPendingFlush_ToAPeerThatNeverReads_ReturnsCancelled()
    {
        var (peer, served) = await PairAsync();
        using (peer)
        using (served)
        {
            var pipe = new SocketPipe(served);
            pipe.Output.Write(new byte[32 * 1024 * 1024]);
            var flush = pipe.Output.FlushAsync().AsTask();
            await Task.Delay(300);
            Assert.False(flush.IsCompleted);

            pipe.Output.CancelPendingFlush();
            var result = await flush.WaitAsync(Bound);
            Assert.True(result.IsCanceled);
            pipe.Output.Complete();
        }
    }

    [Fact]
    public async Task Flush_AfterThePeerReset_ReportsTheReaderGone()
    {
        var (peer, served) = await PairAsync();
        using (served)
        {
            var pipe = new SocketPipe(served);
            peer.LingerState = new LingerOption(true, 0);
            peer.Dispose();
            await Task.Delay(100);

            FlushResult result = default;
            for (var tries = 0; tries < 20 && !result.IsCompleted; tries++)
            {
                pipe.Output.Write(new byte[64 * 1024]);
                result = await pipe.Output.FlushAsync().AsTask().WaitAsync(Bound);
            }

            Assert.True(result.IsCompleted);
        }
    }

    [Fact]
    public async Task Serve_HeadInTwoPieces_IsLeftToKestrel_AndStillUpgrades()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawClient.ConnectAsync(server.Url);
        var head = Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: {server.Url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {HandshakeKeys.NewKey()}\r\n\r\n");
        await raw.SendAsync(head[..20]);
        await Task.Delay(200);
        await raw.SendAsync(head[20..]);

        Assert.StartsWith("HTTP/1.1 101", await raw.ReadHeadAsync(), StringComparison.Ordinal);
        await raw.SendAsync(MaskedText("split"));
        var (opcode, payload) = await raw.ReadFrameAsync();
        Assert.Equal((1, "split"), (opcode, Encoding.UTF8.GetString(payload)));
    }

    [Fact]
    public async Task Serve_HeadAndFirstFrameInOneWrite_ConsumesExactlyTheHead()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = await RawClient.ConnectAsync(server.Url);
        var head = Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: {server.Url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {HandshakeKeys.NewKey()}\r\n\r\n");
        await raw.SendAsync([.. head, .. MaskedText("first"), .. MaskedText("second")]);

        Assert.StartsWith("HTTP/1.1 101", await raw.ReadHeadAsync(), StringComparison.Ordinal);
        Assert.Equal("first", Encoding.UTF8.GetString((await raw.ReadFrameAsync()).Payload));
        Assert.Equal("second", Encoding.UTF8.GetString((await raw.ReadFrameAsync()).Payload));
    }

    [Fact]
    public async Task Serve_PlainHttpOnTheWebSocketListener_IsAnsweredByKestrel()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient { Timeout = Bound };
        var health = await http.GetAsync(server.Http("/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var page = await http.GetAsync(server.Http("/"));
        Assert.Equal(HttpStatusCode.UpgradeRequired, page.StatusCode);
    }

    private static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var mask = new byte[] { 0x11, 0x22, 0x33, 0x44 };
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    private static async Task<(Socket Peer, Socket Served)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Bound);
        var accept = listener.AcceptAsync(cts.Token).AsTask();
        await peer.ConnectAsync(listener.LocalEndPoint!, cts.Token);
        return (peer, await accept);
    }

    private static async Task SendInPiecesAsync(Socket socket, byte[] bytes, int pieces)
    {
        var size = (bytes.Length + pieces - 1) / pieces;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            await socket.SendAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
            await Task.Delay(20);
        }
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(Bound);
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            read += n;
        }

        return buffer;
    }
}
