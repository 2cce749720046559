using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Wsdoctor.Protocol.Frames;

/*
   RFC 6455 5.2, Base Framing Protocol:

    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-------+-+-------------+-------------------------------+
   |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
   |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
   |N|V|V|V|       |S|             |   (if payload len==126/127)   |
   | |1|2|3|       |K|             |                               |
   +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
   |     Extended payload length continued, if payload len == 127  |
   + - - - - - - - - - - - - - - - +-------------------------------+
   |                               |Masking-key, if MASK set to 1  |
   +-------------------------------+-------------------------------+
   | Masking-key (continued)       |          Payload Data         |
   +-------------------------------- - - - - - - - - - - - - - - - +
   :                     Payload Data continued ...                :
   + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
   |                     Payload Data continued ...                |
   +---------------------------------------------------------------+
*/

/// <summary>Push-style WebSocket frame parser: feed it whatever the socket returned and it reports messages,
/// control frames and protocol violations as events. It holds at most one frame header, one control payload
/// (125 bytes) and the data message being assembled. The first violation faults the reader, because
/// RFC 6455 7.1.7 makes the connection unusable from then on ("_Fail the WebSocket Connection_").</summary>
public sealed partial class FrameReader
{
    private const int MaxControlPayload = 125;
    private const int MinMessageBuffer = 256;

    private readonly bool _expectMaskedFrames;
    private readonly bool _perMessageDeflate;
    private readonly long _maxMessageBytes;

    private readonly byte[] _header = new byte[FrameHeader.MaxSize];
    private int _headerLength;
    private FrameHeader _frame;
    private long _frameOffset;
    private long _frameNumber;
    private bool _inPayload;
    private long _payloadRemaining;
    private int _maskIndex;

    private readonly byte[] _control = new byte[MaxControlPayload];
    private int _controlLength;

    // The data message in progress (RFC 6455 5.4: at most one, control frames may interleave).
    private Opcode? _messageOpcode;
    private bool _messageCompressed;
    private int _messageFrames;
    private long _messageFirstFrame;
    private byte[]? _message;
    private int _messageLength;

    private long _closeFrameNumber;

    public FrameReader(FrameReaderOptions? options = null)
    {
        options ??= new FrameReaderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxMessageBytes, Array.MaxLength, nameof(options));
        _expectMaskedFrames = options.ExpectMaskedFrames;
        _perMessageDeflate = options.PerMessageDeflate;
        _maxMessageBytes = options.MaxMessageBytes;
    }

    /// <summary>True after a <see cref="ProtocolViolation"/>; later input is ignored.</summary>
    public bool IsFaulted { get; private set; }

    /// <summary>Bytes taken from the stream so far; stops at the end of the frame that faulted the reader.</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>Feeds the next chunk of the stream and appends the events it completes, in stream order.
    /// Any chunking of the same bytes produces the same events.</summary>
    public void Consume(ReadOnlySpan<byte> data, ICollection<FrameEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        while (!data.IsEmpty && !IsFaulted)
        {
            int used = _inPayload ? ConsumePayload(data, events) : ConsumeHeader(data, events);
            BytesConsumed += used;
            data = data[used..];
        }
    }

    private int ConsumeHeader(ReadOnlySpan<byte> data, ICollection<FrameEvent> events)
    {
        if (_headerLength == 0)
        {
            _frameOffset = BytesConsumed;
            _frameNumber++;
        }

        int size = _headerLength < 2 ? 2 : FrameHeader.SizeFromSecondByte(_header[1]);
        int used = Math.Min(size - _headerLength, data.Length);
        data[..used].CopyTo(_header.AsSpan(_headerLength));
        _headerLength += used;

        if (_headerLength >= 2 && _headerLength == FrameHeader.SizeFromSecondByte(_header[1]))
        {
            _frame = new FrameHeader(_header.AsSpan(0, _headerLength));
            if (FindHeaderViolation() is { } violation)
            {
                Fault(violation.Kind, violation.Rule, events);
                return used;
            }

            StartPayload(events);
        }

        return used;
    }

    private void StartPayload(ICollection<FrameEvent> events)
    {
        _inPayload = true;
        _payloadRemaining = (long)_frame.PayloadLength;
        _maskIndex = 0;
        _controlLength = 0;
        if (_frame.Opcode is Opcode.Text or Opcode.Binary)
        {
            _messageOpcode = _frame.Opcode;
            _messageCompressed = (_frame.ReservedBits & Rsv1) != 0;
            _messageFrames = 0;
            _messageFirstFrame = _frameNumber;
            _messageLength = 0;
        }

        if (_payloadRemaining == 0)
        {
            CompleteFrame(events);
        }
    }

    private int ConsumePayload(ReadOnlySpan<byte> data, ICollection<FrameEvent> events)
    {
        int take = (int)Math.Min(_payloadRemaining, data.Length);
        Span<byte> target;
        if (_frame.IsControl)
        {
            target = _control.AsSpan(_controlLength, take);
            _controlLength += take;
        }
        else
        {
            EnsureMessageCapacity(take);
            target = _message.AsSpan(_messageLength, take);
            _messageLength += take;
        }

        data[..take].CopyTo(target);
        if (_frame.Masked)
        {
            Unmask(target);
        }

        _payloadRemaining -= take;
        if (_payloadRemaining == 0)
        {
            CompleteFrame(events);
        }

        return take;
    }

    private void Unmask(Span<byte> payload)
    {
        // RFC 6455 5.3: octet i of the payload is XORed with octet (i MOD 4) of the masking key, which is
        // the last 4 bytes of the header; _maskIndex carries i across chunks.
        var key = _header.AsSpan(_frame.Size - 4, 4);
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] ^= key[(_maskIndex + i) & 3];
        }

        _maskIndex = (_maskIndex + payload.Length) & 3;
    }

    private void CompleteFrame(ICollection<FrameEvent> events)
    {
        _inPayload = false;
        var payload = _control.AsSpan(0, _controlLength);
        switch (_frame.Opcode)
        {
            case Opcode.Ping:
                events.Add(new PingReceived(_frameOffset, payload.ToArray()));
                break;
            case Opcode.Pong:
                events.Add(new PongReceived(_frameOffset, payload.ToArray()));
                break;
            case Opcode.Close:
                CompleteClose(payload, events);
                break;
            default:
                _messageFrames++;
                if (_frame.Fin)
                {
                    CompleteMessage(events);
                }

                break;
        }

        _headerLength = 0;
    }

    private void CompleteClose(ReadOnlySpan<byte> payload, ICollection<FrameEvent> events)
    {
        if (FindCloseViolation(payload) is { } violation)
        {
            Fault(violation.Kind, violation.Rule, events);
            return;
        }

        int? code = payload.IsEmpty ? null : BinaryPrimitives.ReadUInt16BigEndian(payload);
        var reason = payload.Length > 2 ? Encoding.UTF8.GetString(payload[2..]) : "";
        events.Add(new CloseReceived(_frameOffset, code, reason, payload.ToArray()));
        if (_closeFrameNumber == 0)
        {
            _closeFrameNumber = _frameNumber;
        }
    }

    private void CompleteMessage(ICollection<FrameEvent> events)
    {
        var message = _message.AsSpan(0, _messageLength);
        if (FindMessageViolation(message) is { } violation)
        {
            Fault(violation.Kind, violation.Rule, events);
            return;
        }

        events.Add(new MessageReceived(_frameOffset, _messageOpcode!.Value, message.ToArray(), _messageFrames, _messageCompressed));
        _messageOpcode = null;
        ReleaseMessageBuffer();
    }

    private void EnsureMessageCapacity(int extra)
    {
        int needed = _messageLength + extra;
        if (_message is not null && needed <= _message.Length)
        {
            return;
        }

        // Grow as bytes arrive rather than trusting the declared length: a peer can announce 16 MiB and
        // send nothing. MaxMessageBytes was checked against the declared length, so needed fits.
        long size = Math.Min(Math.Max(needed, Math.Max((long)(_message?.Length ?? 0) * 2, MinMessageBuffer)), _maxMessageBytes);
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, needed));
        _message.AsSpan(0, _messageLength).CopyTo(bigger);
        ReleaseMessageBuffer();
        _message = bigger;
    }

    private void ReleaseMessageBuffer()
    {
        if (_message is not null)
        {
            ArrayPool<byte>.Shared.Return(_message);
            _message = null;
        }
    }

    private void Fault(ViolationKind kind, string rule, ICollection<FrameEvent> events)
    {
        var header = _header.AsSpan(0, _frame.Size);
        var description = $"frame #{_frameNumber} at byte {_frameOffset} ({ByteEvidence.Hex(header)}): {rule}";
        events.Add(new ProtocolViolation(_frameOffset, kind, description, header.ToArray()));
        IsFaulted = true;
        ReleaseMessageBuffer();
    }
}
