using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Wsdoctor.Protocol.Frames;

namespace Wsdoctor.Conform.Engine;

public sealed partial class CaseRun
{
    private byte[]? partialKey;
    private long partialOffset;

    private bool Masking => role == FuzzerRole.Client;

    /// <summary>Autobahn's sendFrame: one frame written exactly as described, rules broken as asked. RSV is the
    /// 3-bit value (1 = RSV3 … 4 = RSV1, as Autobahn numbers it). <paramref name="chop"/> writes the bytes in
    /// pieces of that size, each its own TCP write; <paramref name="sync"/> gives the frame a write of its own and a
    /// moment on the wire before the next.</summary>
    public Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true, int rsv = 0, int? chop = null, bool sync = false)
    {
        var first = (byte)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0F));
        var frame = FrameWriter.BuildRaw(first, payload.Span, Masking);
        if (LogFrames)
        {
            Log.Add("tx", $"{OpcodeName(opcode)} fin={(fin ? 1 : 0)} rsv={rsv} len={payload.Length}{(chop is { } c ? $" in chops of {c}" : "")} {Observation.Preview(payload.Span, opcode is 1 or 9 or 10)}");
        }

        return WriteAsync(frame, chop, sync);
    }

    public Task SendFrameAsync(int opcode, string payload, bool fin = true, int rsv = 0, int? chop = null, bool sync = false) =>
        SendFrameAsync(opcode, Encoding.UTF8.GetBytes(payload), fin, rsv, chop, sync);

    /// <summary>A frame whose payload is <paramref name="pattern"/> repeated to <paramref name="length"/> bytes.</summary>
    public Task SendFrameOfLengthAsync(int opcode, string pattern, int length, int? chop = null) =>
        SendFrameAsync(opcode, Repeat(Encoding.UTF8.GetBytes(pattern), length), chop: chop);

    public static byte[] Repeat(byte[] pattern, int length)
    {
        var payload = new byte[length];
        for (int i = 0; i < length; i += pattern.Length)
        {
            pattern.AsSpan(0, Math.Min(pattern.Length, length - i)).CopyTo(payload.AsSpan(i));
        }

        return payload;
    }

    /// <summary>Autobahn's sendMessage: a whole message, fragmented into frames of <paramref name="fragmentSize"/>
    /// payload bytes when given, compressed when permessage-deflate was negotiated (RSV1 on the first frame only,
    /// RFC 7692 6.1). All frames go out in as few writes as possible.</summary>
    public Task SendMessageAsync(ReadOnlyMemory<byte> message, bool binary, int? fragmentSize = null)
    {
        var data = compressor is null ? message : compressor.CompressMessage(message.Span);
        int size = fragmentSize is > 0 ? fragmentSize.Value : Math.Max(data.Length, 1);
        using var buffer = new MemoryStream(data.Length + 16 + data.Length / size * 14);
        int frames = 0;
        for (int offset = 0; offset == 0 || offset < data.Length; offset += size)
        {
            var piece = data.Slice(offset, Math.Min(size, data.Length - offset));
            bool fin = offset + size >= data.Length;
            int opcode = offset == 0 ? (binary ? 2 : 1) : 0;
            int rsv = offset == 0 && compressor is not null ? 4 : 0;
            buffer.Write(FrameWriter.BuildRaw((byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode), piece.Span, Masking));
            frames++;
            if (data.Length == 0)
            {
                break;
            }
        }

        if (LogFrames)
        {
            Log.Add("tx", $"{(binary ? "BINARY" : "TEXT")} message of {message.Length} bytes{(compressor is null ? "" : $", compressed to {data.Length}")} in {frames} frame(s) {Observation.Preview(message.Span, !binary)}");
        }

        return WriteAsync(buffer.ToArray(), null, false);
    }

    public Task SendMessageAsync(string text, int? fragmentSize = null) => SendMessageAsync(Encoding.UTF8.GetBytes(text), false, fragmentSize);

    /// <summary>Autobahn's beginMessageFrame: a frame header announcing <paramref name="length"/> bytes; the payload
    /// follows in pieces through <see cref="SendFrameDataAsync"/>, masked with one key across them.</summary>
    public Task BeginFrameAsync(int opcode, bool fin, int length)
    {
        var header = FrameWriter.BuildRaw((byte)((fin ? 0x80 : 0) | opcode), new byte[length], Masking);
        int headerLength = header.Length - length;
        partialKey = Masking ? header.AsSpan(headerLength - 4, 4).ToArray() : null;
        partialOffset = 0;
        Log.Add("tx", $"{OpcodeName(opcode)} fin={(fin ? 1 : 0)} header announcing {length} bytes");
        return WriteAsync(header.AsMemory(0, headerLength).ToArray(), null, false);
    }

    public Task SendFrameDataAsync(ReadOnlyMemory<byte> data)
    {
        var bytes = data.ToArray();
        if (partialKey is { } key)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] ^= key[(int)((partialOffset + i) & 3)];
            }
        }

        partialOffset += bytes.Length;
        Log.Add("tx", $"frame data, {bytes.Length} bytes {Observation.Preview(data.Span, false)}");
        return WriteAsync(bytes, null, false);
    }

    /// <summary>Autobahn's sendClose: starts (or answers) the closing handshake; the fuzzer now counts as having
    /// closed. Codes and reasons are written as given, valid or not.</summary>
    public Task SendCloseAsync(int? code, string reason = "") =>
        WriteCloseAsync(code, Encoding.UTF8.GetBytes(reason), isReply: false);

    /// <summary>A Close frame with any payload bytes at all (a 1-byte body, a 124-byte reason, invalid UTF-8).</summary>
    public Task SendCloseAsync(int? code, byte[] reason) => WriteCloseAsync(code, reason, isReply: false);

    /// <summary>A Close frame whose whole payload is given (7.3.2 sends the single byte "a").</summary>
    public Task SendClosePayloadAsync(byte[] payload)
    {
        lock (gate)
        {
            if (closeSent)
            {
                return Task.CompletedTask;
            }

            closeSent = true;
            closedByMe ??= true;
        }

        Log.Add("tx", $"CLOSE with payload {Observation.Preview(payload, false)}");
        return WriteAsync(FrameWriter.BuildRaw(0x88, payload, Masking), null, false);
    }

    private Task WriteCloseAsync(int? code, byte[] reason, bool isReply)
    {
        lock (gate)
        {
            if (closeSent || tcpClosed)
            {
                return Task.CompletedTask;
            }

            closeSent = true;
            localCloseCode = code;
            if (!isReply)
            {
                closedByMe ??= true;
            }
        }

        var payload = new byte[code is null ? 0 : 2 + reason.Length];
        if (code is { } c)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)c);
            reason.CopyTo(payload, 2);
        }

        Log.Add("tx", $"CLOSE {(code is { } shown ? $"code {shown}" : "without code")}{(reason.Length > 0 ? $" reason {Observation.Preview(reason, true)}" : "")}");
        return WriteAsync(FrameWriter.BuildRaw(0x88, payload, Masking), null, false);
    }

    private Task SendControlAsync(Opcode opcode, byte[] payload)
    {
        Log.Add("tx", $"{opcode.ToString().ToUpperInvariant()} {Observation.Preview(payload, true)}");
        return WriteAsync(FrameWriter.Build(opcode, payload, Masking), null, false);
    }

    /// <summary>Writes under the send lock. A peer that already hung up is not an error: the case grades it.</summary>
    private async Task WriteAsync(byte[] bytes, int? chop, bool sync)
    {
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (tcpClosed || droppedByMe)
            {
                return;
            }

            const int MaxWrite = 256 * 1024;
            int piece = chop is > 0 ? chop.Value : MaxWrite;
            for (int offset = 0; offset < bytes.Length; offset += piece)
            {
                await socket.SendAsync(bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Log.Add("--", $"write failed: the connection is gone ({e.Message})");
        }
        finally
        {
            sendLock.Release();
        }

        if (sync)
        {
            await Task.Delay(1, ct).ConfigureAwait(false);
        }
    }

    private static string OpcodeName(int opcode) => opcode switch
    {
        0 => "CONTINUATION",
        1 => "TEXT",
        2 => "BINARY",
        8 => "CLOSE",
        9 => "PING",
        10 => "PONG",
        _ => $"OPCODE-{opcode}",
    };
}
