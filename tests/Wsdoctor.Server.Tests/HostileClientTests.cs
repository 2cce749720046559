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
        var sent = 0L;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (sent < 512 * MiB)
            {
                await raw.Stream.WriteAsync(message, stop.Token);
                sent += message.Length;
            }
        }
        catch (OperationCanceledException)
        {
            // The client's writes block: backpressure reached it.
        }

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
