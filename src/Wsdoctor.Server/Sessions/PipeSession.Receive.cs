using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Wsdoctor.Protocol.Frames;
using Wsdoctor.Server.Framing;

namespace Wsdoctor.Server.Sessions;

public sealed partial class PipeSession
{
    private const int MaxControlPayload = 125;
    private const int MinMessageBuffer = 4 * 1024;

    // The frame being read (its header consumed): what is left of its payload and where its mask stands.
    private bool inFrame;
    private bool frameFin;
    private long frameRemaining;
    private uint frameKey;
    private long frameOffset;

    // The data message being assembled from frames (RFC 6455 5.4); opcode 0 when none.
    private byte messageOpcode;
    private byte[]? message;
    private int messageLength;
    private bool discarding;
    private Utf8Stream utf8;

    private Func<Outgoing, string?>? pendingAuth;
    private Timer? authDeadline;

    /// <summary>What the receive loop does after a step.</summary>
    private enum Next
    {
        Continue,
        NeedMore,
        End,
    }

    /// <summary>The session: frames read from the connection's input until it ends, one async frame for the
    /// connection's whole life (an idle connection keeps this state machine and nothing above it in the session).</summary>
    public override async Task<CloseDecision> RunAsync(IMessageSink sink, Func<Outgoing, string?>? firstMessageAuth, CancellationToken ct)
    {
        using var link = ct.Register(static s => ((PipeSession)s!).Cut(), this);
        using var cancelIo = abort.Token.Register(static s =>
        {
            var session = (PipeSession)s!;
            session.input.CancelPendingRead();
            session.output.CancelPendingFlush();
        }, this);
        pendingAuth = firstMessageAuth;
        authDeadline = firstMessageAuth is null ? null : new Timer(
            static s => ((PipeSession)s!).BeginClose(1008, $"no auth message within {((PipeSession)s!).Limits.AuthTimeout.TotalSeconds:0.#} s", CloseDecision.ByServer),
            this, Limits.AuthTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            // Bounded: each pass consumes data from the peer, or ends (end of stream, cut, close); the close
            // timeout caps the closing phase.
            while (true)
            {
                ReadResult result;
                try
                {
                    // Idle connections hold no buffer: Kestrel waits for data with a zero-byte read before it
                    // rents one, and this read only sees what arrived.
                    result = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
                {
                    Lost();
                    break;
                }

                if (result.IsCanceled)
                {
                    Lost();
                    break;
                }

                var buffer = result.Buffer;
                var next = Next.Continue;
                while (next == Next.Continue)
                {
                    (next, buffer) = await StepAsync(buffer, sink).ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (next == Next.End)
                {
                    break;
                }

                if (result.IsCompleted)
                {
                    Lost();
                    break;
                }

                if (!await FlushAsync().ConfigureAwait(false))
                {
                    Lost();
                    break;
                }
            }
        }
        finally
        {
            authDeadline?.Dispose();
            ReleaseMessage();

            // From here on nothing is written: Kestrel completes the connection when the request ends.
            var gated = await writeGate.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            finished = true;
            if (gated)
            {
                writeGate.Release();
            }
        }

        return Decision ?? new CloseDecision(CloseDecision.Abnormal, "connection lost", CloseDecision.ByClient);
    }

    /// <summary>The connection ended without a close handshake, or was cut (the decision, when there is one, says
    /// why).</summary>
    private void Lost() => TryDecide(new CloseDecision(CloseDecision.Abnormal, "connection lost", CloseDecision.ByClient));

    /// <summary>Takes one frame header, one control frame or one piece of a data frame's payload.</summary>
    private async ValueTask<(Next, ReadOnlySequence<byte>)> StepAsync(ReadOnlySequence<byte> buffer, IMessageSink sink)
    {
        if (inFrame)
        {
            return await PayloadAsync(buffer, sink).ConfigureAwait(false);
        }

        if (!TryParseHeader(buffer, out var header))
        {
            return (Next.NeedMore, buffer);
        }

        var (first, opcode, fin, masked, length, key, headerSize) = header;
        if (FrameProblem(first, opcode, fin, masked, length) is { } problem)
        {
            return (await FailAsync(1002, problem).ConfigureAwait(false), buffer);
        }

        if (opcode >= 0x8)
        {
            if (buffer.Length < headerSize + (long)length)
            {
                return (Next.NeedMore, buffer);
            }

            var payload = buffer.Slice(headerSize, (long)length);
            var next = await ControlAsync(opcode, payload, key).ConfigureAwait(false);
            return (next, buffer.Slice(headerSize + (long)length));
        }

        if (opcode != 0)
        {
            messageOpcode = opcode;
            messageLength = 0;
            discarding = Closing;
            utf8.Reset();
        }

        if (!discarding && (long)length > Limits.MaxMessageSize - messageLength)
        {
            // The header already says the message is too big: nothing of it is read into memory.
            BeginClose(1009, $"message over {Limits.MaxMessageSize} bytes", CloseDecision.ByServer);
            discarding = true;
            ReleaseMessage();
        }

        var rest = buffer.Slice(headerSize);

        // The common case: a whole unfragmented message in one buffer segment is unmasked where it lies and handed
        // over from there, with no copy and no allocation.
        if (fin && opcode != 0 && !discarding && rest.Length >= (long)length && rest.FirstSpan.Length >= (int)length)
        {
            var memory = MemoryMarshal.AsMemory(rest.First[..(int)length]);
            long offset = 0;
            Masking.Apply(memory.Span, memory.Span, key, ref offset);
            messageOpcode = 0;
            var next = await DeliverAsync(opcode, memory, validated: false, sink).ConfigureAwait(false);
            return (next, rest.Slice((long)length));
        }

        inFrame = true;
        frameFin = fin;
        frameRemaining = (long)length;
        frameKey = key;
        frameOffset = 0;
        return (Next.Continue, rest);
    }

    private static bool TryParseHeader(ReadOnlySequence<byte> buffer, out Header header)
    {
        header = default;
        if (buffer.Length < 2)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[14];
        buffer.Slice(0, 2).CopyTo(head);
        var extended = (head[1] & 0x7F) switch
        {
            126 => 2,
            127 => 8,
            _ => 0,
        };
        var masked = (head[1] & 0x80) != 0;
        var size = 2 + extended + (masked ? 4 : 0);
        if (buffer.Length < size)
        {
            return false;
        }

        buffer.Slice(0, size).CopyTo(head);
        var length = extended switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(head[2..]),
            8 => BinaryPrimitives.ReadUInt64BigEndian(head[2..]),
            _ => (ulong)(head[1] & 0x7F),
        };
        var key = masked ? BinaryPrimitives.ReadUInt32LittleEndian(head[(2 + extended)..]) : 0;
        header = new Header(head[0], (byte)(head[0] & 0x0F), (head[0] & 0x80) != 0, masked, length, key, size);
        return true;
    }

    private readonly record struct Header(byte First, byte Opcode, bool Fin, bool Masked, ulong Length, uint Key, int Size);

    /// <summary>RFC 6455 5.2-5.5 rules a frame header breaks, or null.</summary>
    private string? FrameProblem(byte first, byte opcode, bool fin, bool masked, ulong length)
    {
        if ((first & 0x70) != 0)
        {
            return "reserved bits set without an extension that defines them";
        }

        if (!masked)
        {
            return "client frame not masked";
        }

        if ((length >> 63) != 0)
        {
            return "payload length with the most significant bit set";
        }

        switch (opcode)
        {
            case 0x8 or 0x9 or 0xA:
                if (!fin)
                {
                    return "fragmented control frame";
                }

                return length > MaxControlPayload ? "control frame payload over 125 bytes" : null;
            case 0x0:
                return messageOpcode == 0 ? "continuation frame without a message to continue" : null;
            case 0x1 or 0x2:
                return messageOpcode != 0 ? "new data frame while a fragmented message is unfinished" : null;
            default:
                return $"reserved opcode {opcode}";
        }
    }

    /// <summary>Reads what has arrived of the current data frame's payload.</summary>
    private async ValueTask<(Next, ReadOnlySequence<byte>)> PayloadAsync(ReadOnlySequence<byte> buffer, IMessageSink sink)
    {
        var take = Math.Min(frameRemaining, buffer.Length);
        if (take == 0 && frameRemaining > 0)
        {
            return (Next.NeedMore, buffer);
        }

        if (!discarding && !TakePiece(buffer.Slice(0, take)))
        {
            return (await FailAsync(1007, "invalid UTF-8 in a text message").ConfigureAwait(false), buffer.Slice(take));
        }

        frameRemaining -= take;
        buffer = buffer.Slice(take);
        if (frameRemaining > 0)
        {
            return (Next.NeedMore, buffer);
        }

        inFrame = false;
        if (!frameFin)
        {
            return (Next.Continue, buffer);
        }

        var opcode = messageOpcode;
        messageOpcode = 0;
        if (discarding)
        {
            // After our close frame only the peer's close matters (RFC 6455 5.5.1), and a message over the limit
            // was skipped.
            discarding = false;
            return (Next.Continue, buffer);
        }

        if (opcode == 0x1 && !utf8.AtBoundary)
        {
            return (await FailAsync(1007, "invalid UTF-8 in a text message").ConfigureAwait(false), buffer);
        }

        var next = await DeliverAsync(opcode, message.AsMemory(0, messageLength), validated: true, sink).ConfigureAwait(false);
        ReleaseMessage();
        return (next, buffer);
    }

    /// <summary>Unmasks a piece of the frame's payload onto the message; false when it makes the text invalid.</summary>
    private bool TakePiece(ReadOnlySequence<byte> piece)
    {
        EnsureRoom((int)piece.Length);
        foreach (var segment in piece)
        {
            var destination = message.AsSpan(messageLength, segment.Length);
            Masking.Apply(segment.Span, destination, frameKey, ref frameOffset);
            messageLength += segment.Length;
            if (messageOpcode == 0x1 && !utf8.Append(destination))
            {
                return false;
            }
        }

        return true;
    }

    private void EnsureRoom(int more)
    {
        var needed = messageLength + more;
        if (message is not null && message.Length >= needed)
        {
            return;
        }

        // Doubling keeps a 16 MB message at about a dozen copies; the frame headers already kept it within the limit.
        var size = (int)Math.Min(Math.Max(Math.Max(needed, MinMessageBuffer), (message?.Length ?? 0) * 2L), Array.MaxLength);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        if (message is not null)
        {
            message.AsSpan(0, messageLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(message);
        }

        message = bigger;
    }

    private void ReleaseMessage()
    {
        if (message is not null)
        {
            ArrayPool<byte>.Shared.Return(message);
            message = null;
        }

        messageLength = 0;
    }

    /// <summary>A whole data message, unmasked; the memory is only valid during the call.</summary>
    private async ValueTask<Next> DeliverAsync(byte opcode, ReadOnlyMemory<byte> payload, bool validated, IMessageSink sink)
    {
        if (opcode == 0x1 && !validated && !Utf8.IsValid(payload.Span))
        {
            // The message came whole, unvalidated so far.
            return await FailAsync(1007, "invalid UTF-8 in a text message").ConfigureAwait(false);
        }

        if (Closing)
        {
            return Next.Continue;
        }

        var received = new Outgoing(payload, opcode == 0x1 ? WebSocketMessageType.Text : WebSocketMessageType.Binary);
        if (pendingAuth is { } authenticate)
        {
            CountIn(payload.Length);
            pendingAuth = null;
            authDeadline?.Dispose();
            if (authenticate(received) is { } failure)
            {
                BeginClose(1008, failure, CloseDecision.ByServer);
            }

            return Next.Continue;
        }

        // A message the sink refuses arrived as the session began closing: it is neither echoed nor counted, so
        // in_msgs says what was processed before the close frame.
        if (await sink.ReceivedAsync(this, received, abort.Token).ConfigureAwait(false))
        {
            CountIn(payload.Length);
        }

        return Next.Continue;
    }

    private async ValueTask<Next> ControlAsync(byte opcode, ReadOnlySequence<byte> masked, uint key)
    {
        var payload = ArrayPool<byte>.Shared.Rent(MaxControlPayload);
        try
        {
            var length = Unmask(masked, key, payload);

            switch (opcode)
            {
                case 0x9:
                    if (!Closing)
                    {
                        // RFC 6455 5.5.2: the pong carries the ping's payload.
                        await WriteControlAsync(0xA, payload.AsMemory(0, length)).ConfigureAwait(false);
                    }

                    return Next.Continue;
                case 0xA:
                    PongReceived();
                    return Next.Continue;
                default:
                    return await PeerCloseAsync(payload.AsMemory(0, length)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private static int Unmask(ReadOnlySequence<byte> masked, uint key, byte[] destination)
    {
        long offset = 0;
        foreach (var segment in masked)
        {
            Masking.Apply(segment.Span, destination.AsSpan((int)offset), key, ref offset);
        }

        return (int)offset;
    }

    private async ValueTask<Next> PeerCloseAsync(ReadOnlyMemory<byte> payload)
    {
        // RFC 6455 5.5.1: an empty close, or a 2-byte code and a UTF-8 reason; 7.4: only some codes may be sent.
        if (payload.Length == 1)
        {
            return await FailAsync(1002, "close frame with a 1-byte payload").ConfigureAwait(false);
        }

        var code = 1005;
        var reason = "";
        if (payload.Length >= 2)
        {
            code = BinaryPrimitives.ReadUInt16BigEndian(payload.Span);
            if (!IsValidReceivedCode(code))
            {
                return await FailAsync(1002, $"close code {code} may not be sent").ConfigureAwait(false);
            }

            if (!Utf8.IsValid(payload.Span[2..]))
            {
                return await FailAsync(1007, "close reason is not valid UTF-8").ConfigureAwait(false);
            }

            reason = Encoding.UTF8.GetString(payload.Span[2..]);
        }

        // Echo the peer's code back (RFC 6455 5.5.1), after what is already queued; if our close was already
        // decided, this is the answer to it.
        BeginClose(code, reason, CloseDecision.ByClient);
        await CloseWrittenAsync().ConfigureAwait(false);
        return Next.End;
    }

    /// <summary>The codes a peer may send (RFC 6455 7.4.1, 7.4.2), as System.Net.WebSockets accepts them.</summary>
    private static bool IsValidReceivedCode(int code) => code switch
    {
        >= 1000 and <= 1003 => true,
        >= 1007 and <= 1011 => true,
        >= 3000 and <= 4999 => true,
        _ => false,
    };

    /// <summary>_Fail the WebSocket Connection_ (RFC 6455 7.1.7): the close frame, then the end; nothing the
    /// peer sent after the faulty frame is processed, and nothing of ours follows the close frame.</summary>
    private async ValueTask<Next> FailAsync(int code, string reason)
    {
        BeginClose(code, reason, CloseDecision.ByServer);
        await CloseWrittenAsync().ConfigureAwait(false);
        return Next.End;
    }

    private async ValueTask CloseWrittenAsync()
    {
        if (closeWritten is not { } written)
        {
            return;
        }

        try
        {
            await written.Task.WaitAsync(abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cut or timed out: the connection ends without our close frame.
        }
    }
}
