using System.Globalization;
using System.IO.Compression;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.TestPeers;
using Xunit.Abstractions;

namespace Wsdoctor.Server.Tests;

/// <summary>Clients that attack serve, each over real sockets against the real `wsdoctor serve` child process, with
/// its memory read from /proc. Bounds are generous (a loaded 2-core machine, a GC that keeps what it grew), but each
/// one is far below what the attack would cost an unbounded server.</summary>
public sealed class HostileClientTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    public async Task CompressionBomb_ClosedWith1009_PeakMemoryWithinHalfAgainTheLimit(int fragments)
    {
        const long limit = 16 * MiB;
        await using var serve = await ServeProcess.StartAsync(["--compress", "--max-message-size", "16m", "--ping-interval", "0"]);
        await WarmUpDeflateAsync(serve);
        var before = Memory(serve);

        // 256 MiB of zeros in about 256 KiB on the wire: sixteen times the limit.
        var bomb = Deflate(256 * MiB);
        using var raw = await RawClient.ConnectAsync(serve.Url);
        Assert.Contains("permessage-deflate", await raw.HandshakeAsync(serve.Url, "Sec-WebSocket-Extensions: permessage-deflate"), StringComparison.Ordinal);
        var piece = (bomb.Length + fragments - 1) / fragments;
        for (var i = 0; i < fragments; i++)
        {
            var part = bomb.AsSpan(i * piece, Math.Min(piece, bomb.Length - (i * piece)));
            byte first = (byte)((i == fragments - 1 ? 0x80 : 0) | (i == 0 ? 0x40 | 0x2 : 0x0));
            await raw.SendAsync(FrameWriter.BuildRaw(first, part, mask: true));
        }

        Assert.Equal(1009, await raw.ReadCloseCodeAsync());
        var peak = PeakSince(serve, before);
        output.WriteLine($"compression bomb, {fragments} fragment(s): peak RSS +{peak / (double)MiB:0.0} MiB");
        Assert.True(peak <= limit * 3 / 2, $"peak RSS grew by {peak / MiB} MiB for a {limit / MiB} MiB limit");
    }

    [Fact]
    public async Task FragmentFlood_TwentyThousandOneByteFrames_EchoedWhole_MemoryFlat()
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        var before = Memory(serve);
        using var raw = await Upgraded(serve);

        const int count = 20_000;
        var frames = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            byte first = (byte)((i == count - 1 ? 0x80 : 0) | (i == 0 ? 0x2 : 0x0));
            frames.AddRange(FrameWriter.BuildRaw(first, [(byte)i], mask: true));
        }

        await raw.SendAsync([.. frames]);
        var (opcode, payload) = await raw.ReadFrameAsync();

        Assert.Equal(0x2, opcode);
        Assert.Equal(count, payload.Length);
        Assert.Equal(unchecked((byte)(count - 1)), payload[^1]);
        output.WriteLine($"fragment flood: peak RSS +{PeakSince(serve, before) / (double)MiB:0.0} MiB");
        Assert.True(PeakSince(serve, before) <= 32 * MiB, $"peak RSS grew by {PeakSince(serve, before) / MiB} MiB");
    }

    [Fact]
    public async Task PingFlood_EveryPingAnswered_MemoryFlat()
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        var before = Memory(serve);
        using var raw = await Upgraded(serve);

        const int count = 10_000;
        var send = Task.Run(async () =>
        {
            var ping = FrameWriter.Build(Opcode.Ping, "flood"u8, mask: true);
            var batch = new byte[ping.Length * 100];
            for (var i = 0; i < 100; i++)
            {
                ping.CopyTo(batch, i * ping.Length);
            }

            for (var i = 0; i < count / 100; i++)
            {
                await raw.SendAsync(batch);
            }
        });
        var pongs = 0;
        while (pongs < count)
        {
            var (opcode, payload) = await raw.ReadFrameAsync();
            Assert.Equal((0xA, "flood"), (opcode, System.Text.Encoding.ASCII.GetString(payload)));
            pongs++;
        }

        await send;
        output.WriteLine($"ping flood: peak RSS +{PeakSince(serve, before) / (double)MiB:0.0} MiB");
        Assert.True(PeakSince(serve, before) <= 32 * MiB, $"peak RSS grew by {PeakSince(serve, before) / MiB} MiB");
    }

    [Fact]
    public async Task ReaderThatNeverReads_SendsBlockOnTcp_MemoryFlat()
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        var before = Memory(serve);
        using var raw = await Upgraded(serve);

        // 64 KiB echo requests until the kernel's buffers are full both ways: serve stops reading once its own
        // writes wait, so what it holds is bounded by its output pipe, not by what the client sends.
        var message = FrameWriter.Build(Opcode.Binary, new byte[64 * 1024], mask: true);
        var sent = await WriteUntilPushedBackAsync(raw, message, 512 * MiB, TimeSpan.FromSeconds(5));

        Assert.True(sent < 512 * MiB, "every write went through: nothing pushed back");
        output.WriteLine($"never-reading reader: {sent / (double)MiB:0.0} MiB sent before TCP pushed back, peak RSS +{PeakSince(serve, before) / (double)MiB:0.0} MiB");
        Assert.True(PeakSince(serve, before) <= 48 * MiB, $"peak RSS grew by {PeakSince(serve, before) / MiB} MiB after {sent / MiB} MiB sent");
    }

    [Fact]
    public async Task UnmaskedClientFrame_Closed1002()
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        using var raw = await Upgraded(serve);

        await raw.SendAsync(FrameWriter.Build(Opcode.Text, "hello"u8, mask: false));

        Assert.Equal(1002, await raw.ReadCloseCodeAsync());
        Assert.True(await raw.ServerHungUpAsync(TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData(new byte[] { 0x03 }, 1002)]
    [InlineData(new byte[] { 0x03, 0xEC }, 1002)] // 1004: reserved
    [InlineData(new byte[] { 0x03, 0xE8, 0xC3, 0x28 }, 1007)] // 1000 with an invalid UTF-8 reason
    public async Task InvalidClosePayload_ClosedWithTheRightCode(byte[] payload, int expected)
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        using var raw = await Upgraded(serve);

        await raw.SendAsync(FrameWriter.BuildRaw(0x88, payload, mask: true));

        Assert.Equal(expected, await raw.ReadCloseCodeAsync());
    }

    [Fact]
    public async Task ConnectionFlood_BeyondMaxConnections_TheLimitAdmittedTheRest503_MemoryAndDescriptorsBounded()
    {
        const int limit = 100;
        const int flood = 1000;
        await using var serve = await ServeProcess.StartAsync(["--max-connections", $"{limit}", "--ping-interval", "0"]);
        using (var warm = await Upgraded(serve))
        {
            await warm.SendAsync(FrameWriter.BuildClose(1000, "", mask: true));
            Assert.Equal(1000, await warm.ReadCloseCodeAsync());
        }

        var descriptors = await SettledDescriptorsAsync(serve, int.MaxValue);
        var before = Memory(serve);

        // Ten waves of a hundred concurrent upgrades; every socket stays open until the flood is over.
        var clients = new List<RawClient>(flood);
        var statuses = new List<string>(flood);
        try
        {
            for (var wave = 0; wave < flood / 100; wave++)
            {
                var opened = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
                {
                    var raw = await RawClient.ConnectAsync(serve.Url);
                    return (raw, head: await raw.HandshakeAsync(serve.Url));
                }));
                foreach (var (raw, head) in opened)
                {
                    clients.Add(raw);
                    statuses.Add(head.Length >= 12 ? head[9..12] : $"none: {head}");
                }
            }

            var peak = PeakSince(serve, before);
            output.WriteLine($"connection flood: {flood} upgrades against --max-connections {limit}: peak RSS +{peak / (double)MiB:0.0} MiB, {descriptors} descriptors before");
            Assert.Equal(limit, statuses.Count(s => s == "101"));
            Assert.Equal(flood - limit, statuses.Count(s => s == "503"));
            Assert.True(peak <= 64 * MiB, $"peak RSS grew by {peak / MiB} MiB for {flood} connections");
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        // Every socket the flood made is released, and the server admits again.
        var after = await SettledDescriptorsAsync(serve, descriptors + 8);
        Assert.True(after <= descriptors + 8, $"{after} descriptors after the flood, {descriptors} before");
        using var again = await Upgraded(serve);
        await again.SendAsync(FrameWriter.Build(Opcode.Text, "after"u8, mask: true));
        Assert.Equal("after"u8.ToArray(), (await again.ReadFrameAsync()).Payload);
    }

    [Fact]
    public async Task IdleTcpFlood_HeadsNeverSent_DroppedAtTheHandshakeTimeout_WhileAnUpgradeStillWorks()
    {
        await using var serve = await ServeProcess.StartAsync(["--handshake-timeout", "2s", "--ping-interval", "0"]);
        var descriptors = await SettledDescriptorsAsync(serve, int.MaxValue);
        var idle = new List<RawClient>(500);
        try
        {
            for (var i = 0; i < 500; i++)
            {
                idle.Add(await RawClient.ConnectAsync(serve.Url));
            }

            using (var upgrade = await Upgraded(serve))
            {
                await upgrade.SendAsync(FrameWriter.Build(Opcode.Text, "through"u8, mask: true));
                Assert.Equal("through"u8.ToArray(), (await upgrade.ReadFrameAsync()).Payload);
            }

            // None of them sent a byte: each is dropped at the timeout, not kept until the client leaves.
            var hungUp = await Task.WhenAll(idle.Select(c => c.ServerHungUpAsync(TimeSpan.FromSeconds(60))));
            Assert.Equal(500, hungUp.Count(h => h));
            int Logged() => serve.Process.Stderr.Lines.Count(l => l.Contains("event=reject", StringComparison.Ordinal) && ServeProcess.Field(l, "reason") == "handshake_timeout");
            for (var i = 0; i < 100 && Logged() < 500; i++)
            {
                await Task.Delay(200);
            }

            Assert.Equal(500, Logged());
        }
        finally
        {
            foreach (var client in idle)
            {
                client.Dispose();
            }
        }

        Assert.True(await SettledDescriptorsAsync(serve, descriptors + 8) <= descriptors + 8);
    }

    [Theory]
    [InlineData(64 * 1024, 1)] // one huge header
    [InlineData(40, 2000)] // a great many small ones
    public async Task HugeHeaders_Refused431_Closed_MemoryFlat(int valueLength, int count)
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        var before = Memory(serve);
        using var raw = await RawClient.ConnectAsync(serve.Url);
        var headers = Enumerable.Range(0, count).Select(i => $"X-Filler-{i}: {new string('a', valueLength)}").ToArray();

        string head;
        try
        {
            head = await raw.HandshakeAsync(serve.Url, headers);
        }
        catch (IOException)
        {
            // The server may answer and close before the client has written the whole head: read what it said.
            head = await raw.ReadHeadAsync();
        }

        Assert.StartsWith("HTTP/1.1 431", head, StringComparison.Ordinal);
        Assert.True(await raw.ServerHungUpAsync(TimeSpan.FromSeconds(20)), "the connection stayed open after 431");
        Assert.True(PeakSince(serve, before) <= 32 * MiB, $"peak RSS grew by {PeakSince(serve, before) / MiB} MiB");
    }

    [Fact]
    public async Task EndlessHeaders_StreamedFast_Refused431_MemoryFlat()
    {
        await using var serve = await ServeProcess.StartAsync(["--ping-interval", "0"]);
        var before = Memory(serve);
        using var raw = await RawClient.ConnectAsync(serve.Url);
        await raw.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {serve.Url.Authority}\r\nUpgrade: websocket\r\n"));

        // Header lines as fast as the socket takes them, never the blank line: serve must stop reading and refuse.
        var line = System.Text.Encoding.ASCII.GetBytes($"X-Endless: {new string('b', 1000)}\r\n");
        var sent = await WriteUntilPushedBackAsync(raw, line, 64 * MiB, TimeSpan.FromSeconds(20));

        Assert.True(sent < 64 * MiB, "64 MiB of header lines were all taken");
        var head = await raw.ReadHeadAsync();
        output.WriteLine($"endless headers: {sent / 1024.0:0} KiB sent, answered \"{head.Split('\r')[0]}\", peak RSS +{PeakSince(serve, before) / (double)MiB:0.0} MiB");
        Assert.StartsWith("HTTP/1.1 431", head, StringComparison.Ordinal);
        Assert.True(PeakSince(serve, before) <= 32 * MiB, $"peak RSS grew by {PeakSince(serve, before) / MiB} MiB");
    }

    /// <summary>Writes <paramref name="chunk"/> again and again until <paramref name="max"/> bytes went out, the writes block
    /// for <paramref name="time"/> (the server stopped reading: backpressure reached the client) or the server reset the
    /// connection; returns the bytes written.</summary>
    private static async Task<long> WriteUntilPushedBackAsync(RawClient raw, byte[] chunk, long max, TimeSpan time)
    {
        var sent = 0L;
        using var stop = new CancellationTokenSource(time);
        try
        {
            while (sent < max)
            {
                await raw.Stream.WriteAsync(chunk, stop.Token);
                sent += chunk.Length;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Blocked, or refused and reset.
        }

        return sent;
    }

    /// <summary>serve's open descriptors once they stop falling to <paramref name="target"/> or below: polled for up to
    /// 30 s, as sockets are released asynchronously.</summary>
    private static async Task<int> SettledDescriptorsAsync(ServeProcess serve, int target)
    {
        var count = Descriptors(serve);
        for (var i = 0; i < 60 && count > target; i++)
        {
            await Task.Delay(500);
            count = Descriptors(serve);
        }

        if (target == int.MaxValue)
        {
            // A baseline: wait until two readings a second apart agree.
            for (var i = 0; i < 30; i++)
            {
                await Task.Delay(1000);
                var next = Descriptors(serve);
                if (next == count)
                {
                    break;
                }

                count = next;
            }
        }

        return count;
    }

    private static int Descriptors(ServeProcess serve) => Directory.GetFiles($"/proc/{serve.Process.Id}/fd").Length;

    private static async Task<RawClient> Upgraded(ServeProcess serve)
    {
        var raw = await RawClient.ConnectAsync(serve.Url);
        Assert.StartsWith("HTTP/1.1 101", await raw.HandshakeAsync(serve.Url), StringComparison.Ordinal);
        return raw;
    }

    /// <summary>One compressed echo first, so the JIT and zlib's first buffers are in the baseline.</summary>
    private static async Task WarmUpDeflateAsync(ServeProcess serve)
    {
        using var raw = await RawClient.ConnectAsync(serve.Url);
        await raw.HandshakeAsync(serve.Url, "Sec-WebSocket-Extensions: permessage-deflate");
        await raw.SendAsync(FrameWriter.BuildRaw(0xC2, Deflate(64 * 1024), mask: true));
        var (opcode, _) = await raw.ReadFrameAsync();
        Assert.Equal(0x2, opcode);
    }

    /// <summary>RFC 7692 7.2.1: raw DEFLATE of that many zero bytes, sync-flushed, without the final 00 00 FF FF.</summary>
    private static byte[] Deflate(long zeros)
    {
        using var output = new MemoryStream();
        using var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
        var block = new byte[MiB];
        for (long done = 0; done < zeros; done += block.Length)
        {
            deflate.Write(block, 0, (int)Math.Min(block.Length, zeros - done));
        }

        deflate.Flush();
        var bytes = output.ToArray();
        return bytes[..^4];
    }

    /// <summary>Resets the peak (VmHWM) to the current RSS and returns that RSS in bytes.</summary>
    private static long Memory(ServeProcess serve)
    {
        File.WriteAllText($"/proc/{serve.Process.Id}/clear_refs", "5");
        return StatusKiB(serve, "VmRSS") * 1024;
    }

    private static long PeakSince(ServeProcess serve, long before) => (StatusKiB(serve, "VmHWM") * 1024) - before;

    private static long StatusKiB(ServeProcess serve, string field)
    {
        var line = File.ReadLines($"/proc/{serve.Process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
